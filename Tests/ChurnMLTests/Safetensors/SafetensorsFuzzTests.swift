import Testing

@testable import ChurnML

/// Damaged files must throw or parse, never crash.
@Suite("SafetensorsFuzz")
struct SafetensorsFuzzTests {
    @Test func everyTruncationThrows() throws {
        let bytes = try SafetensorsBytes.sample().serialized()
        #expect(try SafetensorsFile(parsing: bytes) == (try SafetensorsBytes.sample()))
        for length in 0..<bytes.count {
            // Every proper prefix is invalid: too short, header cut off, or tensors past the end.
            #expect(throws: SafetensorsError.self, "prefix of \(length) bytes") {
                try SafetensorsFile(parsing: Array(bytes[0..<length]))
            }
        }
    }

    @Test func everyByteAndBitFlipThrowsOrParsesConsistently() throws {
        let bytes = try SafetensorsBytes.sample().serialized()
        var parsedCount = 0
        var thrownCount = 0
        for index in bytes.indices {
            for mask: UInt8 in [0xFF, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80] {
                var damaged = bytes
                damaged[index] ^= mask
                do {
                    let file = try SafetensorsFile(parsing: damaged)
                    parsedCount += 1
                    // Whatever parses must survive its own round trip.
                    #expect(try SafetensorsFile(parsing: file.serialized()) == file, "byte \(index) mask \(mask)")
                } catch {
                    thrownCount += 1
                    #expect(error is SafetensorsError)
                }
            }
        }
        // Flips in tensor data (and some in strings) still parse; flips in the length prefix or
        // the JSON structure do not. Both outcomes must have happened.
        #expect(parsedCount > 0)
        #expect(thrownCount > 0)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            let count = generator.nextIndex(below: 64)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Make most length prefixes plausible so the header parser is exercised too.
            if count >= 8 {
                let headerLength = UInt64(generator.nextIndex(below: count - 7))
                for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: headerLength >> (8 * UInt64(i))) }
                if count > 8 { bytes[8] = UInt8(ascii: "{") }
            }
            do {
                let file = try SafetensorsFile(parsing: bytes)
                #expect(try SafetensorsFile(parsing: file.serialized()) == file)
            } catch {
                #expect(error is SafetensorsError)
            }
        }
    }
}
