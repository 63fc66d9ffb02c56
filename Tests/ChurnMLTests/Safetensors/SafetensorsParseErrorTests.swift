import Testing

@testable import ChurnML

/// Every kind of malformed file gives its own `SafetensorsError`.
@Suite("SafetensorsParseErrors")
struct SafetensorsParseErrorTests {
    private func parse(_ header: String, data: [UInt8] = []) throws {
        _ = try SafetensorsFile(parsing: SafetensorsBytes.file(header: header, data: data))
    }

    /// A valid entry for a `U8` tensor of `count` bytes at `begin`.
    private func u8(_ name: String, _ begin: Int, _ count: Int) -> String {
        #""\#(name)":{"dtype":"U8","shape":[\#(count)],"data_offsets":[\#(begin),\#(begin + count)]}"#
    }

    @Test func framing() {
        #expect(throws: SafetensorsError.fileTooShort(byteCount: 0)) { try SafetensorsFile(parsing: []) }
        #expect(throws: SafetensorsError.fileTooShort(byteCount: 7)) {
            try SafetensorsFile(parsing: [2, 0, 0, 0, 0, 0, 0])
        }
        #expect(throws: SafetensorsError.headerTooLarge(declared: 100_000_001, limit: 100_000_000)) {
            try SafetensorsFile(parsing: SafetensorsBytes.prefix(100_000_001) + Array("{}".utf8))
        }
        #expect(throws: SafetensorsError.headerTooLarge(declared: UInt64.max, limit: 100_000_000)) {
            try SafetensorsFile(parsing: SafetensorsBytes.prefix(UInt64.max))
        }
        #expect(throws: SafetensorsError.truncatedHeader(declared: 812, remaining: 100)) {
            try SafetensorsFile(parsing: SafetensorsBytes.prefix(812) + [UInt8](repeating: 0x20, count: 100))
        }
        #expect(
            SafetensorsError.truncatedHeader(declared: 812, remaining: 100).description
                == "truncated file: header says 812 bytes, 100 remain")
    }

    @Test func headerEncodingAndShape() {
        #expect(throws: SafetensorsError.headerNotUTF8) {
            try SafetensorsFile(parsing: SafetensorsBytes.prefix(3) + [0x7B, 0xFF, 0x7D])
        }
        #expect(throws: SafetensorsError.headerNotUTF8) {  // a truncated 2-byte sequence (é = C3 A9)
            try SafetensorsFile(parsing: SafetensorsBytes.prefix(2) + [0x7B, 0xC3])
        }
        #expect(throws: SafetensorsError.headerNotObject) { try parse("[1, 2]") }
        #expect(throws: SafetensorsError.headerNotObject) { try parse("\"text\"") }
        #expect(throws: SafetensorsError.headerNotObject) { try parse(" {}") }
        #expect(throws: SafetensorsError.headerNotObject) { try parse("") }
    }

    @Test func headerNotJSON() {
        // Offsets are byte positions in the header.
        #expect(throws: SafetensorsError.headerNotJSON(offset: 5, reason: "unexpected end of header")) {
            try parse(#"{"a":"#)
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 5, reason: "expected ':'")) { try parse(#"{"a" 1}"#) }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 3, reason: "unexpected characters after the value")) {
            try parse("{} x")
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 1, reason: "expected a string key")) {
            try parse("{a:1}")
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 7, reason: "expected a string key")) {
            try parse(#"{"a":1,}"#)
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 3, reason: "invalid escape")) { try parse(#"{"\x":1}"#) }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 2, reason: "control character in string")) {
            try parse("{\"\n\":1}")
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 8, reason: "lone high surrogate in \\u escape")) {
            try parse(#"{"\ud800":1}"#)
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 8, reason: "lone low surrogate in \\u escape")) {
            try parse(#"{"\udc00":1}"#)
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 7, reason: "expected a digit after '.'")) {
            try parse(#"{"a":1.}"#)
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 5, reason: "unexpected character")) {
            try parse(#"{"a":+1}"#)
        }
        #expect(throws: SafetensorsError.headerNotJSON(offset: 5, reason: "invalid literal")) {
            try parse(#"{"a":nul}"#)
        }
        // Nesting beyond the limit is an error, not a stack overflow.
        let deep = #"{"a":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: SafetensorsError.headerNotJSON(offset: 5 + 63, reason: "nesting deeper than 64")) {
            try parse(deep)
        }
    }

    @Test func duplicateKeys() {
        #expect(throws: SafetensorsError.duplicateKey("a")) {
            try parse("{\(u8("a", 0, 1)),\(u8("a", 1, 1))}", data: [1, 2])
        }
        #expect(throws: SafetensorsError.duplicateKey("k")) { try parse(#"{"__metadata__":{"k":"1","k":"2"}}"#) }
    }

    @Test func tensorEntries() {
        #expect(throws: SafetensorsError.entryNotObject(tensor: "a")) { try parse(#"{"a":[1]}"#) }
        #expect(throws: SafetensorsError.missingField(tensor: "a", field: "data_offsets")) {
            try parse(#"{"a":{"dtype":"F32","shape":[1]}}"#)
        }
        #expect(throws: SafetensorsError.missingField(tensor: "a", field: "dtype")) {
            try parse(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        }
        #expect(throws: SafetensorsError.unexpectedField(tensor: "a", field: "extra")) {
            try parse(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":0}}"#, data: [0])
        }
        #expect(throws: SafetensorsError.invalidFieldType(tensor: "a", field: "dtype", expected: "a string")) {
            try parse(#"{"a":{"dtype":5,"shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        }
        #expect(
            throws: SafetensorsError.invalidFieldType(tensor: "a", field: "shape", expected: "an array of integers")
        ) {
            try parse(#"{"a":{"dtype":"U8","shape":"1","data_offsets":[0,1]}}"#, data: [0])
        }
        #expect(
            throws: SafetensorsError.invalidFieldType(
                tensor: "a", field: "data_offsets", expected: "an array of two integers")
        ) {
            try parse(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":{}}}"#, data: [0])
        }
        #expect(throws: SafetensorsError.unknownDType(tensor: "a", dtype: "F16")) {
            try parse(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#, data: [0, 0])
        }
        #expect(throws: SafetensorsError.unknownDType(tensor: "a", dtype: "f32")) {
            try parse(#"{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        }
    }

    @Test func shapes() {
        #expect(throws: SafetensorsError.invalidDimension(tensor: "a", index: 1, value: "-3")) {
            try parse(#"{"a":{"dtype":"U8","shape":[2,-3],"data_offsets":[0,0]}}"#)
        }
        #expect(throws: SafetensorsError.invalidDimension(tensor: "a", index: 0, value: "1.5")) {
            try parse(#"{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,0]}}"#)
        }
        #expect(throws: SafetensorsError.invalidDimension(tensor: "a", index: 0, value: "\"2\"")) {
            try parse(#"{"a":{"dtype":"U8","shape":["2"],"data_offsets":[0,0]}}"#)
        }
        #expect(throws: SafetensorsError.invalidDimension(tensor: "a", index: 0, value: "99999999999999999999")) {
            try parse(#"{"a":{"dtype":"U8","shape":[99999999999999999999],"data_offsets":[0,0]}}"#)
        }
        // 2^32 · 2^32 = 2^64 elements: the element count overflows.
        #expect(throws: SafetensorsError.shapeOverflow(tensor: "a", shape: [4_294_967_296, 4_294_967_296])) {
            try parse(#"{"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#)
        }
        // 2^61 elements fit, but 2^61 · 8 bytes = 2^64 do not.
        #expect(throws: SafetensorsError.shapeOverflow(tensor: "a", shape: [2_305_843_009_213_693_952])) {
            try parse(#"{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}"#)
        }
    }

    @Test func offsets() {
        #expect(throws: SafetensorsError.invalidOffsets(tensor: "a", reason: "has 1 entries, expected 2")) {
            try parse(#"{"a":{"dtype":"U8","shape":[0],"data_offsets":[0]}}"#)
        }
        #expect(throws: SafetensorsError.invalidOffsets(tensor: "a", reason: "[0, 1.5] are not both integers")) {
            try parse(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1.5]}}"#, data: [0])
        }
        #expect(throws: SafetensorsError.invalidOffsets(tensor: "a", reason: "[0, 1e0] are not both integers")) {
            try parse(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1e0]}}"#, data: [0])
        }
        #expect(throws: SafetensorsError.invalidOffsets(tensor: "a", reason: "[-1, 0] are not both non-negative")) {
            try parse(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}}"#, data: [0])
        }
        #expect(throws: SafetensorsError.reversedOffsets(tensor: "a", begin: 8, end: 4)) {
            try parse(#"{"a":{"dtype":"U8","shape":[4],"data_offsets":[8,4]}}"#, data: [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: SafetensorsError.offsetsOutOfBuffer(tensor: "a", end: 8, bufferSize: 4)) {
            try parse(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0])
        }
        // F32 [2] needs 2 · 4 = 8 bytes, the offsets give 4.
        #expect(throws: SafetensorsError.byteCountMismatch(tensor: "a", expected: 8, actual: 4)) {
            try parse(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        }
    }

    @Test func bufferCoverage() {
        let twelve = [UInt8](repeating: 1, count: 12)
        #expect(throws: SafetensorsError.overlappingTensors(first: "a", second: "b")) {
            try parse("{\(u8("b", 4, 8)),\(u8("a", 0, 8))}", data: twelve)
        }
        // Two tensors at the same offsets overlap too.
        #expect(throws: SafetensorsError.overlappingTensors(first: "a", second: "b")) {
            try parse("{\(u8("a", 0, 12)),\(u8("b", 0, 12))}", data: twelve)
        }
        #expect(throws: SafetensorsError.holeInBuffer(begin: 4, end: 8)) {
            try parse("{\(u8("a", 0, 4)),\(u8("b", 8, 4))}", data: twelve)
        }
        #expect(throws: SafetensorsError.holeInBuffer(begin: 0, end: 2)) {
            try parse("{\(u8("a", 2, 10))}", data: twelve)
        }
        #expect(throws: SafetensorsError.trailingBytes(count: 2)) {
            try parse("{\(u8("a", 0, 10))}", data: twelve)
        }
        #expect(throws: SafetensorsError.trailingBytes(count: 3)) { try parse("{}", data: [1, 2, 3]) }
        // A zero-length tensor at the boundary of another is neither a hole nor an overlap.
        #expect(throws: Never.self) { try parse("{\(u8("a", 0, 4)),\(u8("z", 4, 0)),\(u8("b", 4, 8))}", data: twelve) }
    }

    @Test func metadata() {
        #expect(throws: SafetensorsError.metadataNotObject) { try parse(#"{"__metadata__":"x"}"#) }
        #expect(throws: SafetensorsError.metadataNotObject) { try parse(#"{"__metadata__":[]}"#) }
        #expect(throws: SafetensorsError.metadataValueNotString(key: "n")) {
            try parse(#"{"__metadata__":{"k":"v","n":1}}"#)
        }
        #expect(throws: SafetensorsError.metadataValueNotString(key: "o")) { try parse(#"{"__metadata__":{"o":{}}}"#) }
    }
}
