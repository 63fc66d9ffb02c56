import ChurnClient
import ChurnML
import NIOCore
import Testing
import Wire

@testable import Predictor

/// The allocation-free Predict path answers byte for byte what the general path (the bundle's own
/// `predict`) answers, and declines — leaving the request to the general path — whenever it could not.
@Suite("Predictor fast path")
struct FastPathTests {
    static func serving() throws -> ServingModel {
        let bundle = try TestData.model()
        let bytes = try BundleCodec.encode(bundle)
        return ServingModel(
            candidate: ModelCandidate(
                name: "churn", version: "v1", sha256: SHA256Digest.hex(of: bytes), source: "test",
                bundle: try BundleCodec.decode(bytes)),
            generation: 1, loadedAtMillis: 0)
    }

    /// The model's columns of rows `range`, as a request body.
    static func body(_ range: Range<Int>, model: ServingModel, edit: (inout [PredictColumn]) -> Void = { _ in })
        -> ByteBuffer
    {
        var columns = PredictRequest(table: TestData.rows(range)).columns.filter {
            model.featureColumns.contains($0.name)
        }
        edit(&columns)
        return PredictRequest(columns: columns).encodedBody()
    }

    static func general(_ body: ByteBuffer, _ model: ServingModel) -> ByteBuffer? {
        if case .response(let buffer) = PredictEvaluation.answer(
            body, model: model, maxRows: 100_000, allocator: ByteBufferAllocator())
        {
            return buffer
        }
        return nil
    }

    @Test func answersExactlyLikeTheGeneralPath() throws {
        let model = try Self.serving()
        let allocator = ByteBufferAllocator()
        var bodies = [Self.body(0..<TestData.table.rowCount, model: model)]  // the whole table (3 chunks of 4,096)
        for start in 0..<50 { bodies.append(Self.body(start..<(start + 1), model: model)) }
        bodies.append(Self.body(0..<64, model: model))
        // Missing values: NaN numbers take the median, absent texts the most frequent level.
        bodies.append(
            Self.body(0..<3, model: model) { columns in
                for index in columns.indices {
                    switch columns[index].values {
                    case .numbers(var values):
                        values[1] = nil
                        columns[index].values = .numbers(values)
                    case .texts(var values):
                        values[2] = nil
                        columns[index].values = .texts(values)
                    }
                }
            })
        // Numeric-level binary columns given as text ("0"/"1") are looked up as text, like offline.
        bodies.append(
            Self.body(0..<5, model: model) { columns in
                for index in columns.indices where columns[index].name == "HasCrCard" {
                    if case .numbers(let values) = columns[index].values {
                        columns[index].values = .texts(values.map { $0.map(ColumnData.format) })
                    }
                }
            })
        // Columns in another order.
        bodies.append(Self.body(10..<20, model: model) { $0.reverse() })
        for (index, body) in bodies.enumerated() {
            let fast = try #require(
                model.fast.answer(body, maxRows: 100_000, allocator: allocator), "request \(index) declined")
            let general = try #require(Self.general(body, model), "request \(index) failed")
            #expect(Array(fast.response.readableBytesView) == Array(general.readableBytesView), "request \(index)")
            #expect(fast.rows == (try PredictRequest.decode(from: body)).rowCount)
        }
    }

    @Test func declinesWhatItCannotAnswerExactly() throws {
        let model = try Self.serving()
        let allocator = ByteBufferAllocator()
        func declines(_ body: ByteBuffer, maxRows: Int = 100_000) -> Bool {
            model.fast.answer(body, maxRows: maxRows, allocator: allocator) == nil
        }
        func replacing(_ name: String, _ values: PredictColumn.Values) -> ByteBuffer {
            Self.body(0..<3, model: model) { columns in
                for index in columns.indices where columns[index].name == name { columns[index].values = values }
            }
        }
        #expect(!declines(Self.body(0..<3, model: model)))
        #expect(declines(replacing("Geography", .texts(["France", "Mars", "Spain"]))))  // unseen
        #expect(declines(replacing("Geography", .numbers([1, 2, 3]))))  // number for a text category
        #expect(declines(replacing("Age", .texts(["40", "41", "42"]))))  // number as text
        #expect(declines(replacing("Age", .numbers([40, .infinity, 42]))))  // infinite
        #expect(declines(replacing("HasCrCard", .numbers([0, 1, 2]))))  // unseen numeric level
        #expect(declines(Self.body(0..<3, model: model) { $0.append(.numbers("Extra", [1, 2, 3])) }))  // unknown column
        #expect(declines(Self.body(0..<3, model: model) { $0.append($0[0]) }))  // duplicate
        #expect(declines(Self.body(0..<3, model: model) { $0.removeLast() }))  // missing column
        #expect(declines(Self.body(0..<3, model: model), maxRows: 2))  // over maxRows
        #expect(declines(PredictRequest(columns: []).encodedBody()))
        var explained = PredictRequest(table: TestData.rows(0..<1))
        explained.columns = explained.columns.filter { model.featureColumns.contains($0.name) }
        explained.explain = 2
        #expect(declines(explained.encodedBody()))
        // Every truncation and a trailing byte.
        let whole = Self.body(0..<2, model: model)
        for cut in 0..<whole.readableBytes {
            #expect(declines(whole.getSlice(at: 0, length: cut) ?? ByteBuffer()))
        }
        var trailing = whole
        trailing.writeInteger(UInt8(0))
        #expect(declines(trailing))
    }

    @Test func reusesItsResponseBuffer() throws {
        let model = try Self.serving()
        let allocator = ByteBufferAllocator()
        let body = Self.body(0..<1, model: model)
        var first = try #require(model.fast.answer(body, maxRows: 10, allocator: allocator)).response
        let firstBytes = Array(first.readableBytesView)
        let address = first.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        first = ByteBuffer()  // the caller (the server) drops its copy after writing it out
        let second = try #require(model.fast.answer(body, maxRows: 10, allocator: allocator)).response
        #expect(second.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == address)
        #expect(Array(second.readableBytesView) == firstBytes)
    }
}
