import ChurnClient
import ChurnML
import Foundation
import NIOCore
import Predictor
import Testing
import Wire

/// Every bad input gets a typed error naming the field (and row), never a crash, and the
/// connection keeps serving afterwards (wire.md §13.2).
@Suite("Predictor errors", .serialized)
struct PredictorErrorTests {
    /// The model's columns only, rows `range` of the test table.
    static func modelColumns(_ range: Range<Int>, bundle: ModelBundle) -> [PredictColumn] {
        let table = TestData.rows(range)
        return PredictRequest(table: table).columns.filter { column in
            bundle.pipeline.encoders.contains { $0.column == column.name }
        }
    }

    static func replacing(_ name: String, in columns: [PredictColumn], with values: PredictColumn.Values)
        -> [PredictColumn]
    {
        columns.map { $0.name == name ? PredictColumn(name: name, values: values) : $0 }
    }

    @Test func badInputIsRefusedWithTheFieldAndRow() async throws {
        let bundle = try TestData.model()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("m.safetensors")
        try bundle.write(to: path)
        let predictor = try await RunningPredictor.start(modelFile: path, maxRows: 50)
        let client = try await predictor.client()
        let good = Self.modelColumns(0..<3, bundle: bundle)

        // Missing model column.
        var error = await client.predictError(PredictRequest(columns: good.filter { $0.name != "Age" }))
        #expect(error?.code == .invalidRequest && error?.field == "Age")

        // Wrong type: text that is not a number in a numeric column, at row 2.
        error = await client.predictError(
            PredictRequest(columns: Self.replacing("Age", in: good, with: .texts(["40", "41", "forty"]))))
        #expect(error?.code == .invalidRequest && error?.field == "Age[2]")
        #expect(error?.message.contains("forty") == true)

        // Infinite number at row 1.
        error = await client.predictError(
            PredictRequest(columns: Self.replacing("Balance", in: good, with: .numbers([0, .infinity, 0]))))
        #expect(error?.code == .invalidRequest && error?.field == "Balance[1]")

        // Unseen category under the error policy, at row 1; the message lists the known ones.
        let mars = Self.replacing("Geography", in: good, with: .texts(["France", "Mars", "Spain"]))
        error = await client.predictError(PredictRequest(columns: mars, unseen: .error))
        #expect(error?.code == .invalidRequest && error?.field == "Geography[1]")
        #expect(error?.message.contains("France, Germany, Spain") == true)

        // Same rows under the zeros policy: answered, with a warning for row 1, and the numbers
        // equal to the offline prediction under that policy.
        let warned = try await client.send(PredictRequest(columns: mars, unseen: .zeros))
        #expect(warned.warnings.map(\.row) == [1])
        #expect(warned.warnings.first?.column == "Geography" && warned.warnings.first?.value == "Mars")
        var marsTable = TestData.rows(0..<3)
        let geography = try #require(marsTable.columnIndex(named: "Geography"))
        marsTable.columns[geography] = .text(["France", "Mars", "Spain"])
        let offline = try ModelBundle.load(path: path).predict(marsTable, policy: .zeros)
        #expect(warned.probabilities.map(\.bitPattern) == offline.probabilities.map(\.bitPattern))

        // Too many rows: 51 > maxRows 50 → limitExceeded naming the first column.
        let big = Self.modelColumns(0..<51, bundle: bundle)
        error = await client.predictError(PredictRequest(columns: big))
        #expect(error?.code == .limitExceeded && error?.field == big.first?.name)

        // Duplicate column, unequal lengths, no rows, no columns.
        error = await client.predictError(PredictRequest(columns: good + [good[0]]))
        #expect(error?.code == .invalidRequest && error?.field == good[0].name)
        error = await client.predictError(
            PredictRequest(columns: Self.replacing("Tenure", in: good, with: .numbers([1, 2]))))
        #expect(error?.code == .invalidRequest && error?.field == "Tenure")
        error = await client.predictError(PredictRequest(columns: Self.modelColumns(0..<0, bundle: bundle)))
        #expect(error?.code == .invalidRequest && error?.field == "columns")
        error = await client.predictError(PredictRequest(columns: []))
        #expect(error?.code == .invalidRequest && error?.field == "columns")

        // Malformed bodies: bad column type byte, bad policy byte, truncation, trailing bytes.
        var body = PredictRequest(columns: [.numbers("Age", [1])]).encodedBody()
        body.setInteger(UInt8(9), at: 2 + 1 + 4 + 4 + 3)
        error = await client.predictError(body)
        #expect(error?.code == .invalidRequest && error?.field == "columns[0].type")
        body = PredictRequest(columns: good).encodedBody()
        body.setInteger(UInt8(3), at: 2)
        error = await client.predictError(body)
        #expect(error?.code == .invalidRequest && error?.field == "unseen")
        let whole = PredictRequest(columns: good).encodedBody()
        error = await client.predictError(whole.getSlice(at: 0, length: whole.readableBytes - 3) ?? ByteBuffer())
        #expect(error?.code == .invalidRequest && error?.field != nil)
        var trailing = whole
        trailing.writeInteger(UInt8(0))
        error = await client.predictError(trailing)
        #expect(error?.code == .invalidRequest)

        // ModelInfo and PredictorReload take empty bodies.
        do {
            _ = try await client.request(opcode: .modelInfo, body: ByteBuffer(bytes: [1]))
            Issue.record("ModelInfo with a body was answered")
        } catch let WireClientError.server(code, _, field) {
            #expect(code == .invalidRequest && field == "body")
        }

        // The connection (and the server) still serve after all of that.
        #expect(try await client.ping(42) == 42)
        let fine = try await client.send(PredictRequest(columns: good))
        #expect(fine.probabilities.count == 3)
        let errors = predictor.server.statistics().errorsByCode
        #expect(errors.first { $0.code == .invalidRequest }.map { $0.count >= 12 } == true)
        await client.close()
        try await predictor.stop()
    }

    @Test func withoutAModelHealthSaysWhyAndPredictIsUnavailable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let predictor = try await RunningPredictor.start(modelFile: directory.file("missing.safetensors"))
        let client = try await predictor.client()
        let health = try await client.send(HealthRequest())
        #expect(health.status == .degraded)
        #expect(health.detail.hasPrefix("no model loaded"))
        #expect(health.detail.contains("missing.safetensors"))
        let error = await client.predictError(PredictRequest(columns: [.numbers("Age", [40])]))
        #expect(error?.code == .unavailable)
        do {
            _ = try await client.send(ModelInfoRequest())
            Issue.record("ModelInfo answered without a model")
        } catch let WireClientError.server(code, _, _) {
            #expect(code == .unavailable)
        }
        // A model appearing later is picked up by PredictorReload.
        try TestData.model().write(to: directory.file("missing.safetensors"))
        let reloaded = try await client.send(PredictorReloadRequest())
        #expect(reloaded.changed && reloaded.generation == 1)
        #expect(try await client.send(HealthRequest()).status == .serving)
        await client.close()
        try await predictor.stop()
    }
}
