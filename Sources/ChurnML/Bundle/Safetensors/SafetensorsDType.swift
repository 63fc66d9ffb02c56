/// The element types Churn reads and writes in safetensors files, spelled as in the format's
/// header (`"dtype": "F32"`). All are little-endian in the data buffer.
public enum SafetensorsDType: String, Sendable, Codable, CaseIterable {
    /// 32-bit IEEE-754 float.
    case f32 = "F32"
    /// 64-bit IEEE-754 float.
    case f64 = "F64"
    /// 64-bit signed integer.
    case i64 = "I64"
    /// 32-bit signed integer.
    case i32 = "I32"
    /// 8-bit unsigned integer.
    case u8 = "U8"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f32, .i32: return 4
        case .f64, .i64: return 8
        case .u8: return 1
        }
    }
}
