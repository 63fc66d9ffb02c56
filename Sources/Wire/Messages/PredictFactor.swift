import NIOCore

/// One explanation factor of a predicted row (wire.md §13.2): an index into the response's
/// `factorColumns` and the column's contribution to the churn probability.
///
/// Wire layout: `u16 column`, `f64 contribution`.
public struct PredictFactor: Hashable, Sendable {
    /// Index into ``PredictResponse/factorColumns``.
    public var column: UInt16
    /// Contribution in probability units (positive pushes towards churn).
    public var contribution: Double

    public init(column: UInt16, contribution: Double) {
        self.column = column
        self.contribution = contribution
    }

    /// Decodes a factor.
    public init(from reader: inout WireReader) throws {
        column = try reader.integer("factors[].column")
        contribution = try reader.double("factors[].contribution")
    }

    /// Encodes the factor.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(column)
        buffer.writeWireDouble(contribution)
    }
}
