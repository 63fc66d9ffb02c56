import Wire

/// Rules every ``MetadataStore`` applies the same way when reading datasets back.
extension DatasetRecord {
    /// The one record a digest-prefix reference matched (newest first, at most 5 looked at):
    /// `notFound` when none, `ambiguous` listing them when more than one.
    static func single(_ records: [DatasetRecord], for reference: DatasetReference) throws -> DatasetRecord {
        guard let first = records.first else {
            throw RegistryError.notFound(kind: "dataset", reference: reference.description)
        }
        guard records.count == 1 else {
            throw RegistryError.ambiguous(reference: reference.description, candidates: records.map(\.reference))
        }
        return first
    }

    /// The column list stored as a JSON array of names.
    static func columnList(fromJSON json: String) throws -> [String] {
        do {
            return try JSONDecoderBox.decode([String].self, from: json)
        } catch {
            throw RegistryError.database("unreadable column list \(RegistryError.abbreviated(json))")
        }
    }
}
