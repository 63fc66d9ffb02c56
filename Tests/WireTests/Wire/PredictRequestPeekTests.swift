import NIOCore
import Testing
import Wire

/// The peek reads a Predict body's leading fields at the offsets the encoder writes them.
@Suite("Predict request peek")
struct PredictRequestPeekTests {
    static func body(_ request: PredictRequest, after prefix: Int = 0) -> ByteBuffer {
        var buffer = ByteBuffer(repeating: 0xEE, count: prefix)
        buffer.moveReaderIndex(forwardBy: prefix)
        request.encode(into: &buffer)
        return buffer
    }

    @Test("explain and the first column's value count, from the reader index; column names by index")
    func peek() {
        let request = PredictRequest(
            columns: [.numbers("Age", [40, 50, nil]), .texts("Geography", ["France", nil, "Spain"])], explain: 3,
            unseen: .zeros)
        for prefix in [0, 5] {
            let body = Self.body(request, after: prefix)
            let peek = PredictRequestPeek(body)
            #expect(peek?.explain == 3)
            #expect(peek?.rows == 3)
            #expect(PredictRequestPeek.columnName(0, in: body) == "Age")
            #expect(PredictRequestPeek.columnName(1, in: body) == "Geography")
            #expect(PredictRequestPeek.columnName(2, in: body) == nil)
        }
    }

    @Test("no columns is zero rows; a body cut short anywhere in the leading fields is nil, never a trap")
    func shortBodies() {
        #expect(PredictRequestPeek(Self.body(PredictRequest(columns: [], explain: 1)))?.rows == 0)
        let full = Self.body(PredictRequest(columns: [.numbers("Tenure", [1, 2])]))
        // explain(2) unseen(1) count(4) nameLength(4) "Tenure"(6) type(1) valueCount(4) = 22 bytes.
        for length in 0..<22 {
            #expect(PredictRequestPeek(full.getSlice(at: 0, length: length) ?? ByteBuffer()) == nil, "length \(length)")
        }
        #expect(PredictRequestPeek(full.getSlice(at: 0, length: 22) ?? ByteBuffer())?.rows == 2)
    }
}
