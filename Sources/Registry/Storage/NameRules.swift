/// The rules that client-sent names, digests and free text must follow before the registry uses
/// them. Names never become paths; only digests validated here do (see `BlobStore`).
public enum NameRules {
    /// Longest name accepted (`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`).
    public static let maximumNameLength = 128
    /// Longest tag value, description or deployment instance id accepted, in bytes of UTF-8.
    public static let maximumTextLength = 4096
    /// Shortest digest prefix accepted in a `name@prefix` dataset reference.
    public static let minimumPrefixLength = 4

    /// Throws unless `value` matches `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`. `kind` names the thing
    /// (dataset, model, alias, tag key) in the error.
    public static func validateName(_ value: String, kind: String) throws {
        let bytes = Array(value.utf8)
        guard let first = bytes.first else {
            throw RegistryError.invalidName(kind: kind, value: value, reason: "it is empty")
        }
        guard bytes.count <= maximumNameLength else {
            throw RegistryError.invalidName(
                kind: kind, value: value, reason: "it is longer than \(maximumNameLength) characters")
        }
        guard isAlphanumeric(first) else {
            throw RegistryError.invalidName(kind: kind, value: value, reason: "it must start with a letter or digit")
        }
        for byte in bytes.dropFirst()
        where
            !(isAlphanumeric(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-"))
        {
            throw RegistryError.invalidName(
                kind: kind, value: value, reason: "only letters, digits, '.', '_' and '-' are allowed")
        }
    }

    /// Throws unless `value` is a valid alias: a valid name that is not all digits (so that
    /// `name@7` always means version 7).
    public static func validateAlias(_ value: String) throws {
        try validateName(value, kind: "alias")
        if value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            throw RegistryError.invalidName(
                kind: "alias", value: value, reason: "an alias cannot be all digits (that would read as a version)")
        }
    }

    /// The lower-cased digest when `value` is 64 hex characters; throws `invalidDigest` otherwise.
    public static func normalizedDigest(_ value: String) throws -> String {
        guard value.utf8.count == 64 else { throw RegistryError.invalidDigest(value) }
        return try normalizedPrefix(value, minimumLength: 64)
    }

    /// The lower-cased prefix when `value` is `minimumLength` to 64 hex characters.
    public static func normalizedPrefix(_ value: String, minimumLength: Int = minimumPrefixLength) throws -> String {
        let bytes = value.utf8
        guard bytes.count >= minimumLength, bytes.count <= 64 else { throw RegistryError.invalidDigest(value) }
        var lowered: [UInt8] = []
        lowered.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                lowered.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                lowered.append(byte + 32)
            default:
                throw RegistryError.invalidDigest(value)
            }
        }
        return String(decoding: lowered, as: UTF8.self)
    }

    /// Throws unless `value` is at most `maximumTextLength` bytes and holds no control character
    /// other than tab and newline. `what` names the field in the error.
    public static func validateText(_ value: String, what: String) throws {
        guard value.utf8.count <= maximumTextLength else {
            throw RegistryError.invalidArgument("\(what) is longer than \(maximumTextLength) bytes")
        }
        for scalar in value.unicodeScalars where scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
            throw RegistryError.invalidArgument("\(what) contains a control character")
        }
        if value.unicodeScalars.contains(where: { $0.value == 0x7F }) {
            throw RegistryError.invalidArgument("\(what) contains a control character")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
