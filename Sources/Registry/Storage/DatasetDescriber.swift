import ChurnML

/// What the registry records about a pushed CSV file: its shape and inferred schema.
struct DatasetDescription: Sendable, Equatable {
    /// Data rows.
    var rows: Int
    /// Column names in file order.
    var columns: [String]
    /// The inferred schema as JSON, or nil when it could not be inferred.
    var schema: String?
    /// Why the schema could not be inferred.
    var schemaError: String?
}

/// Reads a pushed dataset with ChurnML's CSV reader and schema inference (whose notes about dropped
/// columns travel inside the schema JSON; a column of numbers with stray text makes `schemaError`).
enum DatasetDescriber {
    /// Describes `bytes`. A file that is not a readable CSV table is refused
    /// (`RegistryError.invalidDataset` with the reader's located message); a readable table whose
    /// target cannot be inferred is accepted with `schema == nil` and the reason recorded, since a
    /// trainer may still name the target explicitly.
    static func describe(_ bytes: [UInt8], name: String) throws -> DatasetDescription {
        let table: Table
        do {
            table = try CSVReader.parse(bytes, source: name)
        } catch let error as DataError {
            throw RegistryError.invalidDataset(error.description)
        } catch {
            throw RegistryError.invalidDataset("\(error)")
        }
        do {
            let schema = try SchemaInference.prepare(table, target: nil, overrides: nil).schema
            return DatasetDescription(
                rows: table.rowCount, columns: table.columnNames, schema: try JSONText.encode(schema), schemaError: nil)
        } catch let error as DataError {
            return DatasetDescription(rows: table.rowCount, columns: table.columnNames, schema: nil, schemaError: error.description)
        }
    }
}
