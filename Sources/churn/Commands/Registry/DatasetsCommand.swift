import ArgumentParser
import Wire

/// `churn datasets …`: push, list, show and fetch datasets in the registry.
struct DatasetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "Push, list, show and fetch datasets in the model registry.",
        subcommands: [
            DatasetsPushCommand.self, DatasetsListCommand.self, DatasetsShowCommand.self, DatasetsFetchCommand.self,
        ]
    )

    /// The table of a dataset listing.
    static func table(_ records: [DatasetRecord]) -> String {
        var table = TextTable(headings: ["NAME", "SHA256", "ROWS", "COLUMNS", "SIZE", "CREATED", "DESCRIPTION"])
        for record in records {
            table.rows.append([
                record.name, String(record.sha256.prefix(12)), "\(record.rows)", "\(record.columns.count)",
                "\(record.size)",
                record.created, record.description,
            ])
        }
        return table.render()
    }

    /// The detail view of one dataset: its record, dialect and profile.
    static func detail(_ record: DatasetRecord) -> String {
        var lines = [
            "name:        \(record.name)", "sha256:      \(record.sha256)", "size:        \(record.size) bytes",
            "rows:        \(record.rows)", "columns:     \(record.columns.joined(separator: ", "))",
            "created:     \(record.created)", "description: \(record.description)",
        ]
        if let schema = record.schema { lines.append("schema:      \(schema)") }
        if let error = record.schemaError { lines.append("schema:      not inferred (\(error))") }
        lines.append(DatasetProfileText.dialectLine(record.dialect))
        lines.append(DatasetProfileText.render(record.profile))
        return lines.joined(separator: "\n")
    }
}

/// `churn datasets push FILE --name N [--description D]`.
struct DatasetsPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Upload a CSV file (any dialect the reader detects, or gzip) as a dataset.")

    @Argument(help: "The CSV file.") var file: String
    @Option(name: .long, help: "Dataset name.") var name: String
    @Option(name: .long, help: "Description.") var description: String = ""
    @OptionGroup var csv: CSVOptions
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let bytes = try RegistryOptions.readFile(file)
        let delimiter = try csv.readOptions().delimiter.map { String(decoding: [$0], as: UTF8.self) }
        let record = try await registry.withClient {
            try await $0.pushDataset(bytes: bytes, name: name, description: description, delimiter: delimiter)
        }
        if registry.json {
            try JSONOutput.print(record)
        } else {
            print("pushed \(record.reference) (\(record.rows) rows)")
        }
    }
}

/// `churn datasets ls [NAME]`.
struct DatasetsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List datasets.")

    @Argument(help: "Only this dataset name.") var name: String?
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let records = try await registry.withClient { try await $0.datasets(name: name) }
        if registry.json { try JSONOutput.print(records) } else { print(DatasetsCommand.table(records)) }
    }
}

/// `churn datasets show REF`.
struct DatasetsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one dataset (NAME or NAME@SHA256PREFIX).")

    @Argument(help: "The dataset reference.") var reference: String
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let record = try await registry.withClient { try await $0.dataset(reference) }
        if registry.json { try JSONOutput.print(record) } else { print(DatasetsCommand.detail(record)) }
    }
}

/// `churn datasets fetch REF --out FILE`.
struct DatasetsFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Download a dataset (SHA-256 verified).")

    @Argument(help: "The dataset reference.") var reference: String
    @Option(name: .long, help: "Where to write the file.") var out: String
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let (record, bytes) = try await registry.withClient { try await $0.fetchDataset(reference) }
        try RegistryOptions.writeFile(out, bytes)
        if registry.json {
            try JSONOutput.print(record)
        } else {
            print("wrote \(out) (\(bytes.count) bytes, sha256 \(record.sha256))")
        }
    }
}
