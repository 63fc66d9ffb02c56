/// A JSON number as it was written, with exact readings: ``integer`` for integer literals that
/// fit in `Int` (a safetensors offset must not pass through `Double`), ``double`` for the nearest
/// binary64 (`Double(String)` is correctly rounded, so `101348.88` reads as the same `Double` a
/// person typing it means).
///
/// Two numbers are equal when their binary64 values are equal (`1`, `1.0` and `1e0` are the
/// same number), which is how JSON consumers compare numbers.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number's text: the literal from the input, or Swift's rendering of a built value.
    public let text: String
    /// The nearest binary64 value (finite for every parsed number).
    public let double: Double

    /// A parsed literal; `double` is `Double(text)`.
    init(text: String, double: Double) {
        self.text = text
        self.double = double
    }

    /// An integer.
    public init(_ value: Int) {
        text = String(value)
        double = Double(value)
    }

    /// A binary64 value.
    public init(_ value: Double) {
        text = "\(value)"
        double = value
    }

    /// The exact value when the text is an integer literal (no fraction, no exponent) that fits
    /// in `Int`; nil otherwise.
    public var integer: Int? {
        guard
            !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
            )
        else { return nil }
        return Int(text)
    }

    /// The number's text.
    public var description: String { text }

    /// Compares binary64 values.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.double == rhs.double }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// An integer literal (tests and writers: `.number(42)`).
    public init(integerLiteral value: Int) { self.init(value) }

    /// A floating-point literal (`.number(0.5)`).
    public init(floatLiteral value: Double) { self.init(value) }
}
