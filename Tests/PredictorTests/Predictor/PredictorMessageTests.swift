import NIOCore
import Testing
import Wire

/// The predictor messages encode to, and decode from, the byte-exact frames in
/// Protocols/vectors/predictor (written field by field from wire.md §13 by
/// scripts/make-predictor-vectors.py), and reject malformed bodies with a field name.
@Suite("Predictor messages")
struct PredictorMessageTests {
    func check<M: WireMessage>(_ name: String, _ header: FrameHeader, _ message: M) throws {
        let expected = try PredictorVectors.bytes(name)
        var encoded = ByteBuffer()
        WireFrame.write(message, header: header, into: &encoded)
        #expect(Array(encoded.readableBytesView) == expected, "encode \(name)")
        var input = ByteBuffer(bytes: expected)
        var decoder = WireFrameDecoder()
        let frame = try #require(try decoder.decode(buffer: &input), "decode \(name)")
        #expect(input.readableBytes == 0)
        #expect(frame.header == header, "header \(name)")
        #expect(try M.decode(from: frame.body) == message, "body \(name)")
    }

    static let predictRequest = PredictRequest(
        columns: [.numbers("Age", [42, nil]), .texts("Geography", ["France", nil])], explain: 3, unseen: .zeros)

    @Test func predictVectors() throws {
        try check(
            "predict-request", FrameHeader(kind: .request, opcode: .predict, correlationID: 20), Self.predictRequest)
        try check(
            "predict-response", FrameHeader(kind: .response, opcode: .predict, correlationID: 20),
            PredictResponse(
                model: "churn", version: "3f2a9c1b7e00", threshold: 0.5, probabilities: [0.25, 0.75],
                labels: [false, true],
                factorColumns: ["Age", "Geography"],
                factors: [
                    [PredictFactor(column: 0, contribution: 0.125), PredictFactor(column: 1, contribution: -0.0625)],
                    [PredictFactor(column: 1, contribution: 0.5)],
                ],
                warnings: [PredictWarning(row: 1, column: "Geography", value: "Mars", message: "is an unseen category")]
            ))
    }

    @Test func modelInfoAndReloadVectors() throws {
        try check(
            "model-info-request", FrameHeader(kind: .request, opcode: .modelInfo, correlationID: 21), ModelInfoRequest()
        )
        try check(
            "model-info-response", FrameHeader(kind: .response, opcode: .modelInfo, correlationID: 21),
            ModelInfoResponse(
                model: "churn", version: "3f2a9c1b7e00", sha256: "3f2a" + String(repeating: "0", count: 60),
                generation: 2,
                loadedAtMillis: 1_764_079_200_000, source: "model.safetensors", threshold: 0.5, target: "Exited",
                positiveLabel: "1", unseenPolicy: .zeros,
                fields: [
                    ModelInfoField(
                        name: "CreditScore", kind: .numeric, valueType: 0, numericFill: 652, minimum: 350, maximum: 850),
                    ModelInfoField(
                        name: "Gender", kind: .binary, valueType: 1, categories: ["Female", "Male"], fill: "Male"),
                    ModelInfoField(
                        name: "Geography", kind: .categorical, valueType: 1,
                        categories: ["France", "Germany", "Spain"], fill: "France"),
                ],
                metrics: [.init(name: "roc_auc", value: 0.875)],
                lineage: [.init(key: "created", value: "2025-11-25T14:00:00Z")]))
        try check(
            "predictor-reload-request", FrameHeader(kind: .request, opcode: .predictorReload, correlationID: 22),
            PredictorReloadRequest())
        try check(
            "predictor-reload-response", FrameHeader(kind: .response, opcode: .predictorReload, correlationID: 22),
            PredictorReloadResponse(changed: true, model: "churn", version: "0b5e77d1c2aa", generation: 3))
        try check(
            "predictor-drift-request", FrameHeader(kind: .request, opcode: .predictorDrift, correlationID: 23),
            PredictorDriftRequest())
        try check(
            "predictor-drift-response", FrameHeader(kind: .response, opcode: .predictorDrift, correlationID: 23),
            PredictorDriftResponse(
                model: "churn", version: "7", rows: 5000, minimumRows: 500,
                columns: [
                    .init(name: "Age", psi: 0.375, level: .alert),
                    .init(name: "Geography", psi: 0.03125, level: .stable),
                ],
                score: .init(name: "score", psi: nil, level: .stable)))
    }

    @Test func everyVectorFileIsCovered() throws {
        #expect(
            try PredictorVectors.allNames() == [
                "model-info-request", "model-info-response", "predict-request", "predict-response",
                "predictor-drift-request", "predictor-drift-response", "predictor-reload-request",
                "predictor-reload-response",
            ])
    }

    @Test func missingNumbersTravelAsNaN() throws {
        // Any NaN bit pattern reads as missing; missing is written as the canonical quiet NaN.
        var body = ByteBuffer()
        body.writeInteger(UInt16(0))
        body.writeInteger(UInt8(0))
        body.writeInteger(UInt32(1))
        body.writeWireString("Age")
        body.writeInteger(UInt8(0))
        body.writeInteger(UInt32(2))
        body.writeInteger(UInt64(0x7FF0_0000_0000_0001))  // a signalling NaN
        body.writeInteger(Double(-3.5).bitPattern)
        let request = try PredictRequest.decode(from: body)
        #expect(request.columns == [.numbers("Age", [nil, -3.5])])
        let reencoded = request.encodedBody()
        #expect(reencoded.getInteger(at: reencoded.readableBytes - 16, as: UInt64.self) == 0x7FF8_0000_0000_0000)
    }

    @Test func malformedBodiesNameTheField() throws {
        let whole = try PredictorVectors.bytes("predict-request")
        let body = Array(whole.dropFirst(12))
        // Bad column type byte (offset: explain 2 + unseen 1 + count 4 + name length 4 + "Age" 3 = 14).
        var badType = body
        badType[14] = 7
        #expect(throws: WireError.invalidValue(field: "columns[0].type", value: 7)) {
            try PredictRequest.decode(from: ByteBuffer(bytes: badType))
        }
        var badPolicy = body
        badPolicy[2] = 3
        #expect(throws: WireError.invalidValue(field: "unseen", value: 3)) {
            try PredictRequest.decode(from: ByteBuffer(bytes: badPolicy))
        }
        // Every strict prefix fails (never traps), with a field name or trailing-bytes error.
        for cut in 0..<body.count {
            #expect(throws: WireError.self) { try PredictRequest.decode(from: ByteBuffer(bytes: body[0..<cut])) }
        }
        #expect(throws: WireError.trailingBytes(count: 1)) {
            try PredictRequest.decode(from: ByteBuffer(bytes: body + [0]))
        }
        // A row count the remaining bytes cannot hold is refused before anything is reserved.
        var hostile = ByteBuffer()
        hostile.writeInteger(UInt16(0))
        hostile.writeInteger(UInt8(0))
        hostile.writeInteger(UInt32(1))
        hostile.writeWireString("Age")
        hostile.writeInteger(UInt8(0))
        hostile.writeInteger(UInt32.max)
        #expect(throws: WireError.self) { try PredictRequest.decode(from: hostile) }
    }

    @Test func rowBoundIsEnforcedWhileDecoding() throws {
        let request = PredictRequest(columns: [.numbers("Age", [1, 2, 3])])
        #expect(throws: WireError.lengthOutOfBounds(field: "columns[0].values", length: 3, limit: 2)) {
            var reader = WireReader(request.encodedBody())
            _ = try PredictRequest(from: &reader, maxRows: 2)
        }
    }
}
