/// A decoding failure: the bytes do not form a valid frame or body (wire.md §9).
///
/// Thrown by ``WireFrameDecoder`` and ``WireReader``; never a trap.
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The length field is below the 8-byte header size.
    case frameTooShort(length: UInt32)
    /// The length field exceeds the receiver's limit.
    case frameTooLarge(length: UInt32, limit: Int)
    /// The body ended before `field` was complete.
    case truncated(field: String, needed: Int, available: Int)
    /// A length or count prefix of `field` exceeds its limit or the remaining bytes.
    case lengthOutOfBounds(field: String, length: UInt64, limit: Int)
    /// A string field is not valid UTF-8.
    case invalidUTF8(field: String)
    /// A field holds a value its type does not allow (e.g. a boolean byte of 2).
    case invalidValue(field: String, value: UInt64)
    /// Bytes remained after the last field of the body.
    case trailingBytes(count: Int)

    /// The error code a receiver answers with (wire.md §9).
    public var code: WireErrorCode {
        switch self {
        case .frameTooShort: .malformedFrame
        case .frameTooLarge: .frameTooLarge
        case .truncated, .lengthOutOfBounds, .invalidUTF8, .invalidValue, .trailingBytes: .invalidRequest
        }
    }

    /// The field the error is about, if any.
    public var field: String? {
        switch self {
        case .truncated(let field, _, _), .lengthOutOfBounds(let field, _, _), .invalidUTF8(let field),
            .invalidValue(let field, _):
            field
        case .frameTooShort, .frameTooLarge, .trailingBytes:
            nil
        }
    }

    /// A one-line explanation for humans.
    public var description: String {
        switch self {
        case .frameTooShort(let length):
            "frame length \(length) is below the header size \(WireProtocol.headerSize)"
        case .frameTooLarge(let length, let limit):
            "frame length \(length) exceeds the limit \(limit)"
        case .truncated(let field, let needed, let available):
            "body ends inside '\(field)': needs \(needed) bytes, \(available) remain"
        case .lengthOutOfBounds(let field, let length, let limit):
            "length \(length) of '\(field)' exceeds its bound \(limit)"
        case .invalidUTF8(let field):
            "'\(field)' is not valid UTF-8"
        case .invalidValue(let field, let value):
            "'\(field)' has invalid value \(value)"
        case .trailingBytes(let count):
            "\(count) unexpected bytes after the last field"
        }
    }
}
