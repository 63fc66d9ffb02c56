import ArgumentParser
import Predictor

/// The prediction log's options, shared by `serve predictor` and `serve all`. Logging is off
/// unless `--log-dir` is given; then every request is logged (`--log-sample 1`) and kept forever.
struct PredictionLogOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log every answered Predict (inputs, model version, probability, label) to segment files in DIR; off without it.",
            valueName: "dir"))
    var logDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Share of Predict requests logged, above 0 and at most 1 (with --log-dir).", valueName: "rate"))
    var logSample: Double = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Delete log segments older than this: a number with s, m, h or d, such as 90d (with --log-dir; default: keep).",
            valueName: "age"))
    var logRetention: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Input columns kept out of the log (with --log-dir).", valueName: "col,…"))
    var logExclude: String?

    func validate() throws {
        guard logDir != nil else {
            if logSample != 1 || logRetention != nil || logExclude != nil {
                throw ValidationError("--log-sample, --log-retention and --log-exclude apply with --log-dir only")
            }
            return
        }
        if logDir?.isEmpty == true { throw ValidationError("--log-dir must not be empty") }
        guard logSample > 0, logSample <= 1 else {
            throw ValidationError("--log-sample must be above 0 and at most 1 (got \(logSample))")
        }
        if let logRetention, Self.duration(logRetention) == nil {
            throw ValidationError(
                "--log-retention '\(logRetention)' is not a positive number with s, m, h or d (such as 90d)")
        }
        if let columns = logExclude?.split(separator: ",", omittingEmptySubsequences: false),
            columns.contains(where: { $0.isEmpty })
        {
            throw ValidationError("--log-exclude '\(logExclude ?? "")' has an empty column name")
        }
    }

    /// The log, or nil when logging is off.
    func log() -> PredictionLog? {
        guard let logDir else { return nil }
        let excluded = Set((logExclude ?? "").split(separator: ",").map(String.init))
        return PredictionLog(
            configuration: PredictionLogConfiguration(
                directory: logDir, sampleRate: logSample, retention: logRetention.flatMap(Self.duration),
                excludedColumns: excluded))
    }

    /// `90d`, `12h`, `30m`, `45s` (a positive number, fractions allowed) as a duration.
    static func duration(_ text: String) -> Duration? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()), value > 0,
            value.isFinite
        else { return nil }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }
}
