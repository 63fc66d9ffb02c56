import ChurnML
import Wire

extension RegistryStore {
    /// Stores a CSV file under `name`: checks it reads as a table, describes it (rows, columns,
    /// inferred schema, dialect, profile), stores the blob durably, then indexes it and logs `dataset.pushed` in one
    /// transaction. Pushing the same bytes under the same name again returns the existing record
    /// and logs nothing (so a client may safely retry). `delimiter` forces the CSV delimiter.
    @discardableResult
    public func pushDataset(name: String, bytes: [UInt8], description: String = "", delimiter: String? = nil)
        async throws -> DatasetRecord
    {
        try NameRules.validateName(name, kind: "dataset")
        try NameRules.validateText(description, what: "description")
        let (digest, summary) = try await Self.offloaded {
            (SHA256Digest.hex(of: bytes), try DatasetDescriber.describe(bytes, name: name, delimiter: delimiter))
        }
        return try await metadata.whileWritingBlob(digest) {
            try await blobs.write(bytes, digest: digest)
            return try await indexDataset(
                name: name, digest: digest, size: Int64(bytes.count), summary: summary, description: description)
        }
    }

    /// Indexes a dataset whose blob was already stored by a chunked upload: reads it back
    /// (verified), describes it, and indexes it as `pushDataset` does. `delimiter` forces the CSV delimiter.
    @discardableResult
    public func registerDataset(
        name: String, sha256: String, description: String = "", delimiter: String? = nil
    ) async throws -> DatasetRecord {
        try NameRules.validateName(name, kind: "dataset")
        try NameRules.validateText(description, what: "description")
        let digest = try NameRules.normalizedDigest(sha256)
        return try await metadata.whileWritingBlob(digest) {
            let bytes = try await blobs.read(digest)
            let summary = try await Self.offloaded {
                try DatasetDescriber.describe(bytes, name: name, delimiter: delimiter)
            }
            return try await indexDataset(
                name: name, digest: digest, size: Int64(bytes.count), summary: summary, description: description)
        }
    }

    /// Every dataset push, by name then newest first; only those under `name` when given.
    public func datasets(name: String? = nil) async throws -> [DatasetRecord] {
        if let name { try NameRules.validateName(name, kind: "dataset") }
        return try await metadata.datasets(name: name)
    }

    /// The dataset a reference names: `name` (latest push) or `name@prefix` (digest prefix of at
    /// least 4 hex characters; an ambiguous prefix is an error listing the matches).
    public func dataset(_ reference: String) async throws -> DatasetRecord {
        try await metadata.dataset(try DatasetReference(parsing: reference))
    }

    /// The dataset's record and its bytes (verified against the SHA-256; a damaged blob throws
    /// `RegistryError.corrupted`).
    public func fetchDataset(_ reference: String) async throws -> (record: DatasetRecord, bytes: [UInt8]) {
        let record = try await dataset(reference)
        return (record, try await blobs.read(record.sha256))
    }

    private func indexDataset(
        name: String, digest: String, size: Int64, summary: DatasetDescription, description: String
    ) async throws -> DatasetRecord {
        try await metadata.insertDataset(
            DatasetRecord(
                name: name, sha256: digest, size: size, rows: summary.rows, columns: summary.columns,
                schema: summary.schema, schemaError: summary.schemaError, createdMillis: clock(),
                description: description,
                dialect: summary.dialect, profile: summary.profile))
    }
}
