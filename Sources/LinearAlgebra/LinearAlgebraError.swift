/// A shape or argument error detected before any BLAS routine is called.
///
/// BLAS itself does not check shapes: a wrong leading dimension silently reads out of bounds.
/// Every entry point in this module validates first and throws one of these instead.
public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The inner dimensions of a product do not agree, or the output has the wrong shape.
    case shapeMismatch(String)
    /// A matrix was described with a negative size or with storage of the wrong length.
    case invalidShape(rows: Int, columns: Int, count: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .shapeMismatch(let detail):
            return "matrix shape mismatch: \(detail)"
        case .invalidShape(let rows, let columns, let count):
            return "invalid matrix shape \(rows)x\(columns) for \(count) stored values"
        }
    }
}
