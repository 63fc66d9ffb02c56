import Testing

@testable import ChurnML

/// Byte-exact layout of written files, reading files written by others, and round trips.
@Suite("SafetensorsFormat")
struct SafetensorsFormatTests {
    /// `{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}` is 79
    /// bytes; one space pads it to 80 = 0x50 so the data starts at 8 + 80 = 88, a multiple of 8.
    /// Data: 1.0f = 0x3F800000 → 00 00 80 3F; -2.0f = 0xC0000000 → 00 00 00 C0 (little-endian).
    static let tinyBytes: [UInt8] =
        [0x50, 0, 0, 0, 0, 0, 0, 0]
        + Array(#"{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} "#.utf8)
        + [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]

    static func tinyFile() throws -> SafetensorsFile {
        SafetensorsFile(metadata: ["k": "v"], tensors: ["w": try SafetensorsTensor(float32: [1, -2], shape: [2])])
    }

    @Test func writesTheExactBytes() throws {
        let bytes = try Self.tinyFile().serialized()
        #expect(bytes.count == 96)
        #expect(bytes == Self.tinyBytes)
    }

    @Test func readsTheExactBytes() throws {
        let file = try SafetensorsFile(parsing: Self.tinyBytes)
        #expect(file.metadata == ["k": "v"])
        #expect(file.tensors.count == 1)
        let w = try #require(file.tensors["w"])
        #expect(w.dtype == .f32)
        #expect(w.shape == [2])
        #expect(try w.float32Values() == [1, -2])
        #expect(file == (try Self.tinyFile()))
    }

    /// Written by Python `safetensors.numpy.save` 0.8.0 (the reference Rust writer):
    /// `save({"bias": float32 [0.5, -1.25], "ids": int64 [[1, 2, 3]]}, metadata={"format": "churn", "n": "2"})`.
    /// Its header is 160 bytes (0xA0) ending in one pad space, and it lays out `ids` before
    /// `bias` (ordered by dtype alignment, not by name), which a reader must accept.
    @Test func readsAFileWrittenByPython() throws {
        let header =
            #"{"__metadata__":{"format":"churn","n":"2"},"ids":{"dtype":"I64","shape":[1,3],"data_offsets":[0,24]},"bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}} "#
        // 1, 2, 3 as little-endian i64; 0.5f = 0x3F000000, -1.25f = 0xBFA00000.
        let data: [UInt8] = [
            1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0,
            0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0xA0, 0xBF,
        ]
        let bytes = [0xA0, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + data
        #expect(bytes.count == 200)
        let file = try SafetensorsFile(parsing: bytes)
        #expect(file.metadata == ["format": "churn", "n": "2"])
        #expect(try file.tensors["ids"]?.int64Values() == [1, 2, 3])
        #expect(file.tensors["ids"]?.shape == [1, 3])
        #expect(try file.tensors["bias"]?.float32Values() == [0.5, -1.25])
    }

    @Test func roundTripKeepsEverything() throws {
        var file = try SafetensorsBytes.sample()
        file.tensors["empty"] = try SafetensorsTensor(float32: [], shape: [0, 4])
        file.tensors["bytes"] = try SafetensorsTensor(uint8: [0, 255, 7], shape: [3])
        file.tensors["counts"] = try SafetensorsTensor(int32: [-1, Int32.max], shape: [2, 1])
        file.tensors["special"] = try SafetensorsTensor(float32: [.infinity, -0.0, .leastNonzeroMagnitude], shape: [3])
        file.metadata["unicode ✓"] = "tab\tnewline\nquote\"backslash\\ nul\u{0} bell\u{7} é 🚀"
        let bytes = try file.serialized()
        let parsed = try SafetensorsFile(parsing: bytes)
        #expect(parsed == file)
        #expect(try parsed.serialized() == bytes)
        #expect(
            try parsed.tensors["special"]?.float32Values().map(\.bitPattern) == [0x7F80_0000, 0x8000_0000, 0x0000_0001])
    }

    @Test func serializationIsDeterministicAndAligned() throws {
        // Build the same content in two different insertion orders.
        var a = SafetensorsFile()
        var b = SafetensorsFile()
        let names = ["zeta", "alpha", "Mid", "_x", "b2", "b10"]
        for (i, name) in names.enumerated() {
            a.tensors[name] = try SafetensorsTensor(float32: [Float(i)], shape: [1])
            a.metadata["key\(i)"] = "v\(i)"
        }
        for (i, name) in names.enumerated().reversed() {
            b.tensors[name] = try SafetensorsTensor(float32: [Float(i)], shape: [1])
            b.metadata["key\(i)"] = "v\(i)"
        }
        let bytesA = try a.serialized()
        #expect(bytesA == (try b.serialized()))
        let headerLength = bytesA[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + headerLength) % 8 == 0)
        // Tensors are laid out in UTF-8 byte order of their names: "Mid" < "_x" < "alpha" < "b10" < "b2" < "zeta",
        // whose values are 2, 3, 1, 5, 4, 0.
        let data = Array(bytesA[(8 + headerLength)...])
        let values = stride(from: 0, to: data.count, by: 4).map { offset in
            Float(
                bitPattern: UInt32(data[offset]) | UInt32(data[offset + 1]) << 8 | UInt32(data[offset + 2]) << 16
                    | UInt32(data[offset + 3]) << 24)
        }
        #expect(values == [2, 3, 1, 5, 4, 0])
        // Header keys come in the same order, with __metadata__ between "Mid" and "_x" ('_' is 0x5F).
        let header = String(decoding: bytesA[8..<(8 + headerLength)], as: UTF8.self)
        let order = ["\"Mid\"", "\"__metadata__\"", "\"_x\"", "\"alpha\"", "\"b10\"", "\"b2\"", "\"zeta\""]
        let positions = order.compactMap { header.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count)
        #expect(positions == positions.sorted())
        #expect(!header.contains(": ") && !header.contains(", "))
    }

    @Test func emptyFile() throws {
        let bytes = try SafetensorsFile().serialized()
        // "{}" padded to 8 bytes with six spaces.
        #expect(bytes == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        #expect(try SafetensorsFile(parsing: bytes) == SafetensorsFile())
    }

    @Test func acceptsNullMetadataAndWhitespace() throws {
        let file = try SafetensorsFile(
            parsing: SafetensorsBytes.file(
                header:
                    "{ \"__metadata__\" : null ,\n\t\"a\" : {\"shape\":[1],\"data_offsets\":[0,1],\"dtype\":\"U8\"}}\r\n  ",
                data: [42]))
        #expect(file.metadata.isEmpty)
        #expect(try file.tensors["a"]?.uint8Values() == [42])
    }

    @Test func decodesJSONEscapesInNames() throws {
        // "\u00e9" is é, "\ud83d\ude80" is 🚀 as a surrogate pair, "\/" is "/".
        let file = try SafetensorsFile(
            parsing: SafetensorsBytes.file(
                header: #"{"caf\u00e9\/\ud83d\ude80":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}"#,
                data: [9]))
        #expect(file.tensors.keys.first == "café/🚀")
    }
}
