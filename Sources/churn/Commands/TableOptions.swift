import ArgumentParser
import ChurnML
import Foundation

/// How a data file's columns are interpreted: `--schema` and `--target`.
struct TableOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "JSON schema overrides: {\"target\": \"Exited\", \"positive\": \"1\", \"columns\": {\"Surname\": \"id\"}}.",
            valueName: "file"))
    var schema: String?

    @Option(help: "The binary target column (default: a column named like Exited, Churn or churned).")
    var target: String?

    @OptionGroup var csv: CSVOptions

    /// Reads `path`, infers its schema with the overrides (reading declared stray texts as missing),
    /// and identifies it by SHA-256.
    func load(_ path: String) throws -> LoadedTable {
        let bytes = try FileBytes.read(path)
        let table = try csv.parse(bytes, source: path)
        let overrides = try schema.map { try SchemaOverrides.load(path: $0) }
        let prepared = try SchemaInference.prepare(table, target: target, overrides: overrides)
        return LoadedTable(
            table: prepared.table, schema: prepared.schema, warnings: prepared.warnings,
            identity: DatasetIdentity(sha256: SHA256Digest.hex(of: bytes), source: path))
    }
}

/// A data file read and typed, with its schema, the warnings about values read differently from how
/// they were written, and its identity.
struct LoadedTable {
    /// The table to train on (declared stray texts already read as missing).
    var table: Table
    /// The inferred schema, with its notes.
    var schema: Schema
    /// Values read differently from how they were written, one line each.
    var warnings: [String]
    /// The file's SHA-256 and name.
    var identity: DatasetIdentity

    /// The schema's notes and then the warnings, one line each.
    var messages: [String] { schema.notes.map(\.description) + warnings }

    /// Prints ``messages`` on standard error, one line each (standard output stays the command's result).
    func printMessages() {
        for line in messages { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
