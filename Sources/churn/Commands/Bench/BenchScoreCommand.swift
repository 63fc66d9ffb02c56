import ArgumentParser
import ChurnML
import Foundation

/// `churn bench score`: how long `churn score` takes end to end (read, rank with explanations, write),
/// median over several runs.
struct BenchScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Time `churn score` on a file of customers (make one with `churn synth --rows 1000000`).")

    @Argument(help: "The model bundle.")
    var model: String

    @Argument(help: "Customers to score (CSV).")
    var customers: String

    @Option(help: "Timed runs; the median is reported.")
    var runs: Int = 5

    @Option(help: "Threads explaining rows in parallel.")
    var threads: Int = 2

    @OptionGroup var csv: CSVOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        guard runs >= 1, runs <= 100 else { throw ValidationError("--runs must be between 1 and 100, got \(runs)") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(
            "churn-bench-score-\(UUID().uuidString).csv"
        ).path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = ScoreRun(
            model: model, customers: customers, out: out, economics: .defaults, valueColumn: nil, factors: 3,
            threads: threads,
            unseen: nil, csv: try csv.readOptions())
        var timings: [ScoreTiming] = []
        var rows = 0
        for _ in 0..<runs {
            let (ranking, timing) = try run.execute()
            rows = ranking.summary.customers
            timings.append(timing)
        }
        let output = BenchScoreOutput(
            rows: rows, runs: runs, threads: threads, readMedian: Median.of(timings.map(\.read)),
            rankMedian: Median.of(timings.map(\.rank)),
            writeMedian: Median.of(timings.map(\.write)), totalMedian: Median.of(timings.map(\.total)),
            totalMin: timings.map(\.total).min() ?? 0,
            totalMax: timings.map(\.total).max() ?? 0)
        if json {
            try JSONOutput.print(output)
        } else {
            print(
                """
                churn score of \(GroupedNumber.text(rows)) rows, \(runs) runs, \(threads) threads: total median \(ProgressBar.format(output.totalMedian, digits: 2)) s \
                (min \(ProgressBar.format(output.totalMin, digits: 2)), max \(ProgressBar.format(output.totalMax, digits: 2))); \
                read \(ProgressBar.format(output.readMedian, digits: 2)) s, rank \(ProgressBar.format(output.rankMedian, digits: 2)) s, \
                write \(ProgressBar.format(output.writeMedian, digits: 2)) s
                """)
        }
    }
}

/// What `churn bench score --json` prints.
struct BenchScoreOutput: Encodable {
    var rows: Int
    var runs: Int
    var threads: Int
    var readMedian: Double
    var rankMedian: Double
    var writeMedian: Double
    var totalMedian: Double
    var totalMin: Double
    var totalMax: Double

    enum CodingKeys: String, CodingKey {
        case rows, runs, threads
        case readMedian = "read_seconds_median"
        case rankMedian = "rank_seconds_median"
        case writeMedian = "write_seconds_median"
        case totalMedian = "total_seconds_median"
        case totalMin = "total_seconds_min"
        case totalMax = "total_seconds_max"
    }
}
