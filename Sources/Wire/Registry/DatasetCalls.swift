/// 0x0100 DatasetRegister: names a dataset blob already uploaded (BlobUpload*) by its SHA-256.
public struct DatasetRegisterRequest: RegistryCall, Equatable {
    /// The registered dataset.
    public typealias Response = DatasetRecord
    /// 0x0100.
    public static let opcode = Opcode.datasetRegister
    /// Dataset name (letters, digits, `-`, `_`, `.`).
    public var name: String
    /// SHA-256 (hex) of the uploaded blob.
    public var sha256: String
    /// Free-text description.
    public var description: String
    /// The CSV delimiter to read the file with (`,` `;` `|` or a tab), as `--delimiter` forced it; absent
    /// (the usual case) lets the registry's reader detect it. The record's dialect says which was used.
    public var delimiter: String?

    public init(name: String, sha256: String, description: String = "", delimiter: String? = nil) {
        self.name = name
        self.sha256 = sha256
        self.description = description
        self.delimiter = delimiter
    }
}

/// 0x0101 DatasetList: every dataset, or the pushes of one name.
public struct DatasetListRequest: RegistryCall, Equatable {
    /// The datasets, newest first.
    public typealias Response = RegistryList<DatasetRecord>
    /// 0x0101.
    public static let opcode = Opcode.datasetList
    /// Only this name, when set.
    public var name: String?

    public init(name: String? = nil) { self.name = name }
}

/// 0x0102 DatasetShow: one dataset by `name` (latest push) or `name@sha256prefix`.
public struct DatasetShowRequest: RegistryCall, Equatable {
    /// The dataset.
    public typealias Response = DatasetRecord
    /// 0x0102.
    public static let opcode = Opcode.datasetShow
    /// The reference.
    public var reference: String

    public init(reference: String) { self.reference = reference }
}
