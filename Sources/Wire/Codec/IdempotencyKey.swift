import Crypto

/// The 16-byte idempotency key of a keyed request (wire.md §2.4): chosen by the client, the same
/// on every retry of one logical write, and remembered by the server with the first outcome.
public struct IdempotencyKey: Hashable, Sendable, CustomStringConvertible {
    /// The size on the wire.
    public static let byteCount = 16

    /// The first 8 bytes, big-endian.
    public var high: UInt64
    /// The last 8 bytes, big-endian.
    public var low: UInt64

    /// A key from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The key written as 32 hex digits (``description``); nil when `text` is not that.
    public init?(hex text: String) {
        guard text.utf8.count == 32,
            text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }),
            let high = UInt64(text.prefix(16), radix: 16), let low = UInt64(text.suffix(16), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// The key that names `text`: the first 16 bytes of its SHA-256, the same wherever it is
    /// computed (so that independent clients deciding on the same write use the same key, as the
    /// trainers do for an auto-train job).
    public init(naming text: String) {
        let digest = Array(SHA256.hash(data: Array(text.utf8)))
        self.init(
            high: digest[0..<8].reduce(0) { $0 << 8 | UInt64($1) },
            low: digest[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
    }

    /// A fresh random key (128 bits from the system's generator).
    public static func random() -> IdempotencyKey {
        var generator = SystemRandomNumberGenerator()
        return IdempotencyKey(high: generator.next(), low: generator.next())
    }

    /// The `index`-th key derived from this one (index 0 is the key itself): a call that makes
    /// several keyed writes gives each its own key, the same on every retry of the call.
    public func derived(_ index: UInt64) -> IdempotencyKey {
        IdempotencyKey(high: high, low: low ^ (index &* 0x9E37_79B9_7F4A_7C15))
    }

    /// 32 lowercase hex digits.
    public var description: String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }
}
