import Testing

@testable import ChurnML

/// Building tensors and files from values, and the errors that guards.
@Suite("SafetensorsTensor")
struct SafetensorsTensorTests {
    @Test func float32IsLittleEndian() throws {
        // 1.5f = 0x3FC00000 → 00 00 C0 3F; 1 as i32 → 01 00 00 00; -2 as i64 → FE FF … FF.
        #expect(try SafetensorsTensor(float32: [1.5], shape: [1]).bytes == [0x00, 0x00, 0xC0, 0x3F])
        #expect(try SafetensorsTensor(int32: [1], shape: []).bytes == [1, 0, 0, 0])
        #expect(
            try SafetensorsTensor(int64: [-2], shape: [1, 1]).bytes == [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        // 1.0 as f64 = 0x3FF0000000000000.
        #expect(try SafetensorsTensor(float64: [1], shape: [1]).bytes == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    @Test func valuesRoundTrip() throws {
        let values: [Float] = (0..<24).map { Float($0) * 0.25 - 3 }
        let tensor = try SafetensorsTensor(float32: values, shape: [2, 3, 4])
        #expect(tensor.bytes.count == 96)
        #expect(try tensor.float32Values() == values)
        #expect(try SafetensorsTensor(float64: [.pi, -1e300], shape: [2]).float64Values() == [.pi, -1e300])
        #expect(try SafetensorsTensor(int64: [.min, .max], shape: [2]).int64Values() == [.min, .max])
        #expect(try SafetensorsTensor(int32: [.min, 0, .max], shape: [3]).int32Values() == [.min, 0, .max])
        #expect(try SafetensorsTensor(uint8: [0, 255], shape: [2]).uint8Values() == [0, 255])
    }

    @Test func constructionErrors() {
        #expect(throws: SafetensorsError.elementCountMismatch(shape: [2, 2], expected: 4, actual: 3)) {
            try SafetensorsTensor(float32: [1, 2, 3], shape: [2, 2])
        }
        #expect(throws: SafetensorsError.invalidShape([-1])) { try SafetensorsTensor(float32: [], shape: [-1]) }
        #expect(throws: SafetensorsError.invalidShape([Int.max, 2])) {
            try SafetensorsTensor(uint8: [], shape: [Int.max, 2])
        }
        #expect(throws: SafetensorsError.byteCountMismatch(tensor: nil, expected: 8, actual: 7)) {
            try SafetensorsTensor(dtype: .f32, shape: [2], bytes: [0, 0, 0, 0, 0, 0, 0])
        }
    }

    @Test func readingErrors() throws {
        let ints = try SafetensorsTensor(int64: [1], shape: [1])
        #expect(throws: SafetensorsError.dtypeMismatch(expected: .f32, actual: .i64)) { try ints.float32Values() }
        var edited = try SafetensorsTensor(float32: [1, 2], shape: [2])
        edited.bytes.removeLast()
        #expect(throws: SafetensorsError.byteCountMismatch(tensor: nil, expected: 8, actual: 7)) {
            try edited.float32Values()
        }
        edited.shape = [-2]
        #expect(throws: SafetensorsError.invalidShape([-2])) { try edited.float32Values() }
    }

    @Test func fileConstructionErrors() throws {
        var file = SafetensorsFile(tensors: ["__metadata__": try SafetensorsTensor(uint8: [1], shape: [1])])
        #expect(throws: SafetensorsError.reservedTensorName) { try file.serialized() }
        file.tensors = ["w": try SafetensorsTensor(float32: [1, 2], shape: [2])]
        file.tensors["w"]?.shape = [3]
        #expect(throws: SafetensorsError.byteCountMismatch(tensor: "w", expected: 12, actual: 8)) {
            try file.serialized()
        }
    }

    @Test func dtypeSizes() {
        #expect(SafetensorsDType.f32.byteSize == 4)
        #expect(SafetensorsDType.f64.byteSize == 8)
        #expect(SafetensorsDType.i64.byteSize == 8)
        #expect(SafetensorsDType.i32.byteSize == 4)
        #expect(SafetensorsDType.u8.byteSize == 1)
    }
}
