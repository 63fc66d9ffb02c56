import GRDB
import Wire

/// Reading index rows into model versions.
extension SQLiteMetadataStore {
    /// A model version (without tags, metrics and aliases) from a row of `QueryCompiler.columns`.
    static func modelVersion(_ row: Row) throws -> ModelVersion {
        ModelVersion(
            name: try row.decode(atIndex: 1), version: try row.decode(atIndex: 2),
            bundleSHA256: try row.decode(atIndex: 3), bundleSize: try row.decode(atIndex: 4),
            datasetSHA256: try row.decode(atIndex: 5), createdMillis: try row.decode(atIndex: 6),
            description: try row.decode(atIndex: 7), threshold: try row.decode(atIndex: 8),
            hyperparameters: try row.decode(atIndex: 9), lineage: try row.decode(atIndex: 10),
            tags: [:], metrics: [:], aliases: [], rowID: try row.decode(atIndex: 0))
    }

    /// Fills in the tags, metrics and aliases of `versions` (three queries per 500 versions).
    static func attachDetails(_ db: Database, to versions: inout [ModelVersion]) throws {
        guard !versions.isEmpty else { return }
        var position: [Int64: Int] = [:]
        for (offset, version) in versions.enumerated() { position[version.rowID] = offset }
        let ids = versions.map(\.rowID)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let arguments = StatementArguments(chunk)
            for row in try Row.fetchAll(
                db, sql: "SELECT version_id, key, value FROM tags WHERE version_id IN (\(placeholders))",
                arguments: arguments)
            {
                if let offset = position[try row.decode(Int64.self, atIndex: 0)] {
                    versions[offset].tags[try row.decode(String.self, atIndex: 1)] = try row.decode(
                        String.self, atIndex: 2)
                }
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT version_id, key, value FROM metrics WHERE version_id IN (\(placeholders))",
                arguments: arguments)
            {
                if let offset = position[try row.decode(Int64.self, atIndex: 0)] {
                    versions[offset].metrics[try row.decode(String.self, atIndex: 1)] = try row.decode(
                        Double.self, atIndex: 2)
                }
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT version_id, alias FROM aliases WHERE version_id IN (\(placeholders)) ORDER BY alias",
                arguments: arguments)
            {
                if let offset = position[try row.decode(Int64.self, atIndex: 0)] {
                    versions[offset].aliases.append(try row.decode(String.self, atIndex: 1))
                }
            }
        }
    }
}
