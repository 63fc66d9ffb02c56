import ChurnML

/// What the registry records about a pushed CSV file: its shape, inferred schema, dialect and profile.
struct DatasetDescription: Sendable, Equatable {
    /// Data rows.
    var rows: Int
    /// Column names in file order.
    var columns: [String]
    /// The inferred schema as JSON, or nil when it could not be inferred.
    var schema: String?
    /// Why the schema could not be inferred.
    var schemaError: String?
    /// How the file was written (ChurnML's `CSVDialect` as JSON), or nil when the reader did not say.
    var dialect: String?
    /// The data profile (ChurnML's `DataProfile` as JSON).
    var profile: String?
}

/// Reads a pushed dataset with ChurnML's CSV reader, schema inference (whose notes about dropped
/// columns travel inside the schema JSON; a column of numbers with stray text makes `schemaError`) and
/// data profile.
enum DatasetDescriber {
    /// Describes `bytes`. A file that is not a readable CSV table is refused
    /// (`RegistryError.invalidDataset` with the reader's located message); a readable table whose
    /// target cannot be inferred is accepted with `schema == nil` and the reason recorded, since a
    /// trainer may still name the target explicitly. The dialect and the profile are recorded either way.
    /// `delimiter` forces the CSV delimiter (`--delimiter` on `datasets push`).
    static func describe(_ bytes: [UInt8], name: String, delimiter: String? = nil) throws -> DatasetDescription {
        let table: Table
        do {
            table = try CSVReader.parse(bytes, source: name, options: CSVReadOptions(delimiterNamed: delimiter))
        } catch let error as DataError {
            throw RegistryError.invalidDataset(error.description)
        } catch {
            throw RegistryError.invalidDataset("\(error)")
        }
        var description = DatasetDescription(rows: table.rowCount, columns: table.columnNames)
        description.dialect = try table.dialect.map { try JSONText.encode($0) }
        description.profile = try JSONText.encode(DataProfile.make(table, target: nil, overrides: nil))
        do {
            let schema = try SchemaInference.prepare(table, target: nil, overrides: nil).schema
            description.schema = try JSONText.encode(schema)
        } catch let error as DataError {
            description.schemaError = error.description
        }
        return description
    }
}
