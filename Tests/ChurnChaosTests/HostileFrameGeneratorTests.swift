import NIOCore
import Testing
import Wire

@testable import ChurnChaos

/// The seeded hostile frame generator of `churn-chaos hostile`.
@Suite("Hostile frame generator")
struct HostileFrameGeneratorTests {
    /// A Ping request frame with a 8-byte body, and a Health request with an empty body.
    static let templates: [[UInt8]] = [
        [0, 0, 0, 16, 1, 0, 0, 2, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8],
        [0, 0, 0, 8, 1, 0, 0, 4, 0, 0, 0, 9],
    ]

    /// The big-endian u32 at `offset`.
    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    @Test func sameSeedSameFramesOtherSeedOthers() {
        var first = HostileFrameGenerator(seed: 42, templates: Self.templates)
        var second = HostileFrameGenerator(seed: 42, templates: Self.templates)
        var third = HostileFrameGenerator(seed: 43, templates: Self.templates)
        let a = (0..<500).map { _ in first.next() }
        let b = (0..<500).map { _ in second.next() }
        let c = (0..<500).map { _ in third.next() }
        #expect(a == b)
        #expect(a != c)
    }

    /// Frames whose mutation keeps framing carry a length field equal to the bytes that follow it
    /// (so the stream stays in step), at least the header size, and a correlation id below
    /// 0x8000_0000 (the barrier's id is above).
    @Test func framingKeepingMutationsHaveConsistentLengths() {
        var generator = HostileFrameGenerator(seed: 7, templates: Self.templates)
        var checked = 0
        for _ in 0..<20_000 {
            let frame = generator.next()
            guard frame.mutation.keepsFraming else { continue }
            #expect(frame.bytes.count >= 12)
            #expect(Int(Self.u32(frame.bytes, 0)) == frame.bytes.count - 4)
            #expect(Self.u32(frame.bytes, 8) < 0x8000_0000)
            checked += 1
        }
        #expect(checked > 15_000)
    }

    /// Every kind of mutation occurs in 20,000 frames, and the valid ones are byte-for-byte a
    /// template apart from the correlation id.
    @Test func everyMutationOccursAndValidFramesAreTemplates() {
        var generator = HostileFrameGenerator(seed: 11, templates: Self.templates)
        var seen: [HostileMutation: Int] = [:]
        for _ in 0..<20_000 {
            let frame = generator.next()
            seen[frame.mutation, default: 0] += 1
            if frame.mutation == .valid {
                var normalized = frame.bytes
                normalized.replaceSubrange(8..<12, with: [0, 0, 0, 0])
                let templates = Self.templates.map { template -> [UInt8] in
                    var copy = template
                    copy.replaceSubrange(8..<12, with: [0, 0, 0, 0])
                    return copy
                }
                #expect(templates.contains(normalized))
            }
        }
        for mutation in HostileMutation.allCases {
            #expect(seen[mutation, default: 0] > 0, "no \(mutation) frame in 20,000")
        }
    }

    /// A mutation that changes the version, breaks the length or sends random bytes is the only
    /// kind that ends a connection.
    @Test func onlyStreamBreakingMutationsEndTheConnection() {
        let breaking = HostileMutation.allCases.filter { !$0.keepsFraming }
        #expect(Set(breaking) == [.versionChange, .badLength, .randomBytes])
    }

    /// With no usable template the generator still yields bytes (random ones) rather than trapping.
    @Test func noTemplatesGivesRandomBytes() {
        var generator = HostileFrameGenerator(seed: 3, templates: [[1, 2, 3]])
        for _ in 0..<100 {
            let frame = generator.next()
            #expect(frame.mutation == .randomBytes)
            #expect(!frame.bytes.isEmpty && frame.bytes.count <= 64)
        }
    }

    /// Every frame the generator makes is handled by the frame decoder without a trap: decoded,
    /// waiting for more bytes, or refused with a WireError.
    @Test func decoderSurvivesGeneratedStreams() {
        var generator = HostileFrameGenerator(seed: 5, templates: Self.templates)
        var decoded = 0
        for _ in 0..<5_000 {
            var buffer = ByteBuffer(bytes: generator.next().bytes)
            var decoder = WireFrameDecoder(maxFrameLength: 4096)
            if (try? decoder.decode(buffer: &buffer)) != nil { decoded += 1 }
        }
        #expect(decoded > 4_000)
    }
}
