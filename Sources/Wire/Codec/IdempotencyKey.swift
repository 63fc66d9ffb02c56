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
