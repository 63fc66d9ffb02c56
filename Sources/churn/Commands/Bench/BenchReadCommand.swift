import ArgumentParser
import ChurnML

/// `churn bench read`: how long reading and typing a CSV file takes (the step every command that
/// takes a table starts with), median over several runs. The file's bytes are loaded once; each run
/// parses and types them into a ``Table``.
struct BenchReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Time reading and typing a CSV file (make one with `churn synth --rows 1000000`).")

    @Argument(help: "The CSV file.")
    var data: String

    @Option(help: "Timed runs; the median is reported.")
    var runs: Int = 7

    @OptionGroup var csv: CSVOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        guard runs >= 1, runs <= 100 else { throw ValidationError("--runs must be between 1 and 100, got \(runs)") }
        let bytes = try FileBytes.read(data)
        let clock = ContinuousClock()
        var seconds: [Double] = []
        var rows = 0
        for _ in 0..<runs {
            let start = clock.now
            let table = try csv.parse(bytes, source: data)
            seconds.append((clock.now - start).seconds)
            rows = table.rowCount
        }
        let output = BenchReadOutput(
            rows: rows, bytes: bytes.count, runs: runs, secondsMedian: Median.of(seconds),
            secondsMin: seconds.min() ?? 0,
            secondsMax: seconds.max() ?? 0)
        if json {
            try JSONOutput.print(output)
        } else {
            let megabytes = Double(bytes.count) / 1e6
            print(
                """
                read \(GroupedNumber.text(rows)) rows (\(ProgressBar.format(megabytes, digits: 1)) MB), \(runs) runs: median \
                \(ProgressBar.format(output.secondsMedian, digits: 3)) s (min \(ProgressBar.format(output.secondsMin, digits: 3)), \
                max \(ProgressBar.format(output.secondsMax, digits: 3))); \
                \(ProgressBar.format(megabytes / max(output.secondsMedian, 1e-9), digits: 0)) MB/s
                """)
        }
    }
}

/// What `churn bench read --json` prints.
struct BenchReadOutput: Encodable {
    var rows: Int
    var bytes: Int
    var runs: Int
    var secondsMedian: Double
    var secondsMin: Double
    var secondsMax: Double

    enum CodingKeys: String, CodingKey {
        case rows, bytes, runs
        case secondsMedian = "seconds_median"
        case secondsMin = "seconds_min"
        case secondsMax = "seconds_max"
    }
}
