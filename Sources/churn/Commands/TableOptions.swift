import ArgumentParser
import ChurnML

/// How a data file's columns are interpreted: `--schema` and `--target`.
struct TableOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "JSON schema overrides: {\"target\": \"Exited\", \"positive\": \"1\", \"columns\": {\"Surname\": \"id\"}}.",
        valueName: "file"))
    var schema: String?

    @Option(help: "The binary target column (default: a column named like Exited, Churn or churned).")
    var target: String?

    @OptionGroup var csv: CSVOptions

    /// Reads `path`, infers its schema with the overrides, and identifies it by SHA-256.
    func load(_ path: String) throws -> LoadedTable {
        let bytes = try FileBytes.read(path)
        let table = try csv.parse(bytes, source: path)
        let overrides = try schema.map { try SchemaOverrides.load(path: $0) }
        let inferred = try SchemaInference.infer(table, target: target, overrides: overrides)
        return LoadedTable(table: table, schema: inferred, identity: DatasetIdentity(sha256: SHA256Digest.hex(of: bytes), source: path))
    }
}

/// A data file read and typed, with its schema and identity.
struct LoadedTable {
    var table: Table
    var schema: Schema
    var identity: DatasetIdentity
}
