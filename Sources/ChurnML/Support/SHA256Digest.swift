import Crypto

/// SHA-256 of byte arrays as lower-case hex, the form used everywhere in Churn (lineage,
/// registry blob addresses, wire checksums).
public enum SHA256Digest {
    /// Hex SHA-256 of `bytes`.
    public static func hex(of bytes: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: bytes))
    }
}
