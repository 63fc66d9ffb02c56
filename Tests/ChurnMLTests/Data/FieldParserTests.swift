import Testing

@testable import ChurnML

@Suite("FieldParser")
struct FieldParserTests {
    @Test("random decimals parse bit-identically to Swift's own Double(String)")
    func matchesStandardLibrary() {
        var random = SeededGenerator(seed: 7)
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            var text = ""
            switch random.nextIndex(below: 3) {
            case 0: text += "-"
            case 1: text += "+"
            default: break
            }
            let integerDigits = random.nextIndex(below: 24)
            for _ in 0..<integerDigits { text += String(random.nextIndex(below: 10)) }
            if random.nextIndex(below: 2) == 0 || integerDigits == 0 {
                text += "."
                for _ in 0..<(1 + random.nextIndex(below: 20)) { text += String(random.nextIndex(below: 10)) }
            }
            if random.nextIndex(below: 3) == 0 {
                text += random.nextIndex(below: 2) == 0 ? "e" : "E"
                text += ["", "-", "+"][random.nextIndex(below: 3)]
                text += String(random.nextIndex(below: 40))
            }
            guard let reference = Double(text) else { continue }
            let parsed = FieldParser.classify(text)
            if parsed != .number(reference) || (reference == 0 && parsed == .number(0) && !sameSign(text, reference)) {
                mismatches.append(text)
            }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    /// Whether the sign of zero matches: `classify` must keep `-0` negative like `Double(String)`.
    private func sameSign(_ text: String, _ reference: Double) -> Bool {
        guard case .number(let value) = FieldParser.classify(text) else { return false }
        return value.sign == reference.sign
    }

    @Test("hard cases beyond the fast path")
    func slowPath() {
        // 2^53 + 1 cannot be exact in the fast path; the nearest double is 2^53 (ties to even).
        #expect(FieldParser.classify("9007199254740993") == .number(9_007_199_254_740_992))
        #expect(FieldParser.classify("1e23") == .number(1e23))
        #expect(FieldParser.classify("123456789012345678901234567890") == .number(1.2345678901234568e29))
        #expect(FieldParser.classify("0.000000000000000000000000001") == .number(1e-27))
        #expect(FieldParser.classify("1e-400") == .number(0))
        #expect(FieldParser.classify("1e400") == .text)
        #expect(FieldParser.classify("-1e99999999999") == .text)
    }

    @Test("non-numbers are text")
    func notNumbers() {
        for text in [
            "e5", "1e", "1e+", ".", "+", "-", "1.2.3", "0x10", "inf", "Infinity", "1,000", "--1", "1 2", "12a", "$5",
            "١٢",
        ] {
            #expect(FieldParser.classify(text) == .text, "\(text)")
        }
    }

    @Test("missing tokens, in any case, trimmed; near misses are text")
    func missing() {
        for text in ["", " ", "\t", "NA", "nA", "N/A", "n/A", "NaN", "NAN", "null", "Null", "None", "NONE", " na "] {
            #expect(FieldParser.classify(text) == .missing, "\(text.debugDescription)")
        }
        for text in ["N", "NAA", "N-A", "nul", "nonee", "Nan0", "A/N", "NB"] {
            #expect(FieldParser.classify(text) == .text, "\(text)")
        }
    }
}
