import ArgumentParser
import ChurnML

/// How CSV files are read: `--delimiter`, for every command that takes a table.
struct CSVOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The CSV field delimiter: , ; tab or | (also: comma, semicolon, pipe, \\t). Default: detected from the header and first rows.",
            valueName: "char"))
    var delimiter: String?

    func validate() throws {
        _ = try readOptions()
    }

    /// The reader's options.
    func readOptions() throws -> CSVReadOptions {
        guard let delimiter else { return CSVReadOptions() }
        guard let byte = CSVDialect.delimiter(named: delimiter) else {
            throw ValidationError("--delimiter '\(delimiter)' is not one of , ; tab | (or comma, semicolon, tab, pipe)")
        }
        return CSVReadOptions(delimiter: byte)
    }

    /// Reads and types the CSV file at `path` (plain, gzip or UTF-16; see ``CSVReader``).
    func read(_ path: String) throws -> Table {
        try CSVReader.read(contentsOf: path, options: readOptions())
    }

    /// Parses and types CSV `bytes` read from `path`.
    func parse(_ bytes: [UInt8], source path: String) throws -> Table {
        try CSVReader.parse(bytes, source: path, options: readOptions())
    }
}
