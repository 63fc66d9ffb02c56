import Foundation
import Testing

@testable import ChurnML

/// The one JSON reader (safetensors headers, the gateway's API, bundle evaluations): every value
/// kind, strictness, and errors that name what was wrong and its byte offset.
@Suite("JSONParser")
struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.SyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    /// The error for `text`, or nil when it parses.
    private func failure(_ text: String) -> JSONParser.SyntaxError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("every value kind, escapes, surrogate pairs, exponents")
    func valueKinds() throws {
        let text =
            #" {"a": [1, -2.5e2, 0.125, true, false, null], "b\u00e9": "x\"y\\z\n\ud83d\ude00\/", "c": {}, "d": [], "é": "ü"} "#
        let value = try parse(text)
        #expect(
            value
                == .object([
                    "a": .array([.number(1), .number(-250), .number(0.125), .bool(true), .bool(false), .null]),
                    "bé": .string("x\"y\\z\n😀/"), "c": .object([:]), "d": .array([]), "é": .string("ü"),
                ]))
        #expect(try parse("101348.88") == .number(101348.88))
        #expect(try parse(#""\b\f\r\t\u0041\u00E9""#) == .string("\u{8}\u{C}\r\tAé"))
    }

    @Test("objects keep source order and look up by key")
    func objectOrder() throws {
        guard case .object(let object) = try parse(#"{"z":1,"a":2,"m":3}"#) else {
            Issue.record("expected an object")
            return
        }
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == .number(2))
        #expect(object["missing"] == nil)
        #expect(object.count == 3)
    }

    @Test("numbers keep their text; integers are exact beyond 2^53; decimals round correctly")
    func numbers() throws {
        guard case .number(let big) = try parse("9007199254740993") else { throw Failure("not a number") }
        #expect(big.integer == 9_007_199_254_740_993)
        #expect(big.text == "9007199254740993")
        guard case .number(let huge) = try parse("99999999999999999999") else { throw Failure("not a number") }
        #expect(huge.integer == nil)
        #expect(huge.double == 1e20)
        guard case .number(let decimal) = try parse("-0.1e1") else { throw Failure("not a number") }
        #expect(decimal.integer == nil)
        #expect(decimal.double == -1)
        #expect(decimal.text == "-0.1e1")
        guard case .number(let zero) = try parse("-0") else { throw Failure("not a number") }
        #expect(zero.integer == 0)
        #expect(try parse("1E+2") == .number(100))
        #expect(try parse("0.30000000000000004") == .number(0.30000000000000004))
        #expect(failure("1e999")?.reason == "the number 1e999 is out of range")
        #expect(failure("[0, -1e400]")?.offset == 4)
        for bad in ["01", "1.", "-", "1e", "1e+", ".5", "+1", "0x10", "NaN", "Infinity", "1.5.2"] {
            #expect(failure(bad) != nil, "\(bad)")
        }
    }

    @Test("a duplicate key is an error naming the key and its byte offset")
    func duplicateKey() {
        let error = failure(#"{"a":1,"b":{"c":2,"c":3}}"#)
        #expect(error?.duplicateKey == "c")
        #expect(error?.offset == 18)
        #expect(error?.description == #"at byte 18: duplicate key "c""#)
        #expect(failure(#"{"a":1,"a":1}"#)?.duplicateKey == "a")
        // The same key in different objects is fine; so is a key that differs only by an escape.
        #expect(failure(#"[{"a":1},{"a":2}]"#) == nil)
        #expect(failure(#"{"a":1,"\u0061b":2}"#) == nil)
        // Keys are compared after unescaping.
        #expect(failure(#"{"a":1,"\u0061":2}"#)?.duplicateKey == "a")
    }

    @Test("bad escapes are errors at the escape")
    func badEscapes() {
        #expect(failure(#""\x""#) == JSONParser.SyntaxError(offset: 2, reason: "invalid escape"))
        #expect(failure(#""\u12G4""#) == JSONParser.SyntaxError(offset: 5, reason: "invalid hex digit in \\u escape"))
        #expect(failure(#""\u12"#)?.reason == "unterminated \\u escape")
        #expect(failure(#""\"#)?.reason == "unterminated escape")
        #expect(failure(#""abc"#)?.reason == "unterminated string")
        #expect(failure("\"a\u{01}b\"") == JSONParser.SyntaxError(offset: 2, reason: "control character in string"))
        #expect(failure("\"a\nb\"")?.offset == 2)
    }

    @Test("surrogate pairs decode; lone or mismatched surrogates are errors")
    func surrogates() throws {
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\uD834\uDD1E""#) == .string("𝄞"))
        #expect(failure(#""\ud800""#) == JSONParser.SyntaxError(offset: 7, reason: "lone high surrogate in \\u escape"))
        #expect(failure(#""\ud800x""#)?.reason == "lone high surrogate in \\u escape")
        #expect(failure(#""\udc00""#) == JSONParser.SyntaxError(offset: 7, reason: "lone low surrogate in \\u escape"))
        #expect(
            failure(#""\ud800\u0041""#)
                == JSONParser.SyntaxError(offset: 13, reason: "invalid low surrogate in \\u escape"))
    }

    @Test("strings must be valid UTF-8")
    func invalidUTF8() {
        #expect(throws: JSONParser.SyntaxError(offset: 0, reason: "string is not valid UTF-8")) {
            try JSONParser.parse([0x22, 0xC3, 0x22])
        }
        #expect(throws: JSONParser.SyntaxError(offset: 1, reason: "string is not valid UTF-8")) {
            try JSONParser.parse([0x5B, 0x22, 0xFF, 0x5C, 0x6E, 0x22, 0x5D])
        }
    }

    @Test("nesting deeper than the limit is an error, not a stack overflow")
    func deepNesting() throws {
        let limit = JSONParser.maxDepth
        _ = try parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(failure(deep) == JSONParser.SyntaxError(offset: limit, reason: "nesting deeper than \(limit)"))
        let hostile = String(repeating: #"{"a":"#, count: 100_000)
        #expect(failure(hostile)?.reason == "nesting deeper than \(limit)")
        #expect(failure(String(repeating: "[", count: 100_000))?.offset == limit)
    }

    @Test("errors name what was expected and the byte offset")
    func offsets() {
        #expect(failure("") == JSONParser.SyntaxError(offset: 0, reason: "unexpected end of input"))
        #expect(throws: JSONParser.SyntaxError(offset: 5, reason: "unexpected end of header")) {
            try JSONParser.parse(Array(#"{"a":"#.utf8), inputName: "header")
        }
        #expect(failure(#"{"a" 1}"#) == JSONParser.SyntaxError(offset: 5, reason: "expected ':'"))
        #expect(failure("{} x") == JSONParser.SyntaxError(offset: 3, reason: "unexpected characters after the value"))
        #expect(failure("{a:1}") == JSONParser.SyntaxError(offset: 1, reason: "expected a string key"))
        #expect(failure(#"{"a":1,}"#) == JSONParser.SyntaxError(offset: 7, reason: "expected a string key"))
        #expect(failure("[1,]") == JSONParser.SyntaxError(offset: 3, reason: "unexpected character"))
        #expect(failure("[1 2]") == JSONParser.SyntaxError(offset: 3, reason: "expected ',' or ']'"))
        #expect(failure(#"{"a":1 "b":2}"#) == JSONParser.SyntaxError(offset: 7, reason: "expected ',' or '}'"))
        #expect(failure("tru") == JSONParser.SyntaxError(offset: 0, reason: "unexpected end of input"))
        #expect(failure("nul}") == JSONParser.SyntaxError(offset: 0, reason: "invalid literal"))
        #expect(failure("[1.]") == JSONParser.SyntaxError(offset: 3, reason: "expected a digit after '.'"))
        #expect(failure("-x") == JSONParser.SyntaxError(offset: 1, reason: "expected a digit"))
        #expect(failure("1e") == JSONParser.SyntaxError(offset: 2, reason: "expected a digit in the exponent"))
        #expect(failure(#"{"a":1}"#) == nil)
        #expect(JSONParser.SyntaxError(offset: 4, reason: "x").description == "at byte 4: x")
    }

    @Test(
        "malformed documents are refused",
        arguments: [
            "", "{", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", "-", "1e", "tru", "\"abc", "\"\\x\"", "\"\\ud800\"",
            "[1] 2", "1e999", "\"a\u{01}b\"", String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
            "/* c */ 1", "'a'", "[1,,2]", "{\"a\"}", "\u{FEFF}1",
        ])
    func malformed(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try parse(text) }
    }

    @Test("parses any byte collection, contiguous or not")
    func collections() throws {
        let bytes = Array(#"{"k":[1,2]}"#.utf8)
        let expected: JSONValue = .object(["k": .array([.number(1), .number(2)])])
        #expect(try JSONParser.parse(bytes[...]) == expected)
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == expected)
    }

    @Test("values encode through Encodable: integers as integers, objects as members")
    func encodable() throws {
        let value: JSONValue = .object([
            "n": .integer(3), "d": .double(0.5), "s": .string("x"), "z": .null, "a": .array([.bool(true)]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(text == #"{"a":[true],"d":0.5,"n":3,"s":"x","z":null}"#)
    }

    private struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
