import ArgumentParser
import ChurnML

/// One `churn score` pass, timed by phase: read the model and the customers, rank, write the CSV.
/// Also what `churn bench score` repeats.
struct ScoreRun {
    var model: String
    var customers: String
    var out: String
    var economics: RetentionEconomics
    var valueColumn: String?
    var factors: Int
    var threads: Int
    var unseen: UnseenCategoryPolicy?
    /// How to read the customers' CSV.
    var csv = CSVReadOptions()

    /// Runs the three phases.
    func execute() throws -> (CustomerRanking, ScoreTiming) {
        let clock = ContinuousClock()
        let started = clock.now
        let bundle = try ModelBundle.load(path: model)
        let table = try CSVReader.read(contentsOf: customers, options: csv)
        let values = try valueColumn.map { try Self.values(of: $0, in: table) }
        let read = clock.now
        let ranking = try bundle.rank(
            table, economics: economics, customerValues: values, top: factors, threads: threads, policy: unseen)
        let ranked = clock.now
        try FileBytes.write(to: out) { emit in
            try RankedCustomersCSV.write(
                ranking, table: table, schema: bundle.schema, threshold: bundle.threshold, threads: threads, emit: emit)
        }
        let written = clock.now
        return (
            ranking,
            ScoreTiming(
                read: (read - started).seconds, rank: (ranked - read).seconds, write: (written - ranked).seconds)
        )
    }

    /// The numeric column `name` of `table`, NaN where a value is missing.
    static func values(of name: String, in table: Table) throws -> [Double] {
        guard let column = table.column(named: name) else {
            throw ValidationError(
                "--value-column: \(table.source) has no column \"\(name)\" (columns: \(table.columnNames.joined(separator: ", ")))"
            )
        }
        guard case .numeric(let values) = column else {
            throw ValidationError("--value-column: column \"\(name)\" of \(table.source) is not numeric")
        }
        return values.map { $0 ?? .nan }
    }
}

/// Seconds per phase of `churn score`.
struct ScoreTiming: Encodable {
    /// Model and CSV read and typed.
    var read: Double
    /// Encoded, predicted, explained and sorted.
    var rank: Double
    /// CSV written.
    var write: Double
    /// All three.
    var total: Double { read + rank + write }

    enum CodingKeys: String, CodingKey { case read, rank, write, total }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(read, forKey: .read)
        try container.encode(rank, forKey: .rank)
        try container.encode(write, forKey: .write)
        try container.encode(total, forKey: .total)
    }
}
