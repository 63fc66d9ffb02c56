/// Seeded hostile frames for the chaos suite (`churn-chaos hostile`): valid request frames of a role
/// (the templates) damaged in the ways of ``HostileMutation``, plus made-up frames. Deterministic:
/// the same seed and templates give the same sequence of frames.
public struct HostileFrameGenerator: Sendable {
    /// One generated frame.
    public struct Frame: Sendable, Hashable {
        /// The bytes to send, length prefix included.
        public var bytes: [UInt8]
        /// How the frame was made.
        public var mutation: HostileMutation
    }

    /// The valid frames that are mutated (whole frames with their length prefix).
    public let templates: [[UInt8]]
    private var random: ChaosRandom
    private let weights: [(HostileMutation, Int)] = [
        (.valid, 4), (.bitFlip, 14), (.byteSet, 14), (.hugePrefix, 14), (.truncateBody, 12), (.extendBody, 8),
        (.splice, 6), (.randomBody, 8), (.kindChange, 6), (.opcodeChange, 8), (.versionChange, 2), (.badLength, 2),
        (.randomBytes, 2),
    ]

    /// A generator over `templates` (each a whole frame of at least 12 bytes; shorter ones are
    /// dropped) seeded with `seed`.
    public init(seed: UInt64, templates: [[UInt8]]) {
        self.templates = templates.filter { $0.count >= 12 }
        random = ChaosRandom(seed: seed)
    }

    /// The next hostile frame; a correlation id in `0..<0x8000_0000` is written into every frame
    /// that has a header, so that answers never collide with a caller's own ids above that range.
    public mutating func next() -> Frame {
        let mutation = pickMutation()
        guard !templates.isEmpty else {
            return Frame(bytes: random.bytes(1 + random.below(64)), mutation: .randomBytes)
        }
        var frame = templates[random.below(templates.count)]
        let correlation = UInt32(truncatingIfNeeded: random.next()) & 0x7FFF_FFFF
        Self.put(correlation, into: &frame, at: 8)
        var body = Array(frame[12...])
        switch mutation {
        case .valid:
            break
        case .bitFlip:
            if !body.isEmpty {
                for _ in 0..<(1 + random.below(8)) {
                    body[random.below(body.count)] ^= UInt8(1) << UInt8(random.below(8))
                }
            }
        case .byteSet:
            if !body.isEmpty {
                for _ in 0..<(1 + random.below(8)) {
                    body[random.below(body.count)] = UInt8(truncatingIfNeeded: random.next())
                }
            }
        case .hugePrefix:
            if body.count >= 4 {
                let values: [UInt32] = [
                    0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0x0100_0000, 65_537,
                    UInt32(truncatingIfNeeded: random.next()),
                ]
                var head = [UInt8](repeating: 0, count: 12)
                Self.put(values[random.below(values.count)], into: &head, at: 0)
                let offset = random.below(body.count - 3)
                body.replaceSubrange(offset..<(offset + 4), with: head[0..<4])
            }
        case .truncateBody:
            body = Array(body.prefix(random.below(max(1, body.count))))
        case .extendBody:
            body += random.bytes(1 + random.below(32))
        case .splice:
            let other = templates[random.below(templates.count)]
            body = Array(other[12...])
        case .randomBody:
            body = random.bytes(random.below(96))
        case .kindChange:
            let kinds: [UInt8] = [1, 2, 3, 4, 5, 0xFF]
            frame[5] = kinds[random.below(kinds.count)]
        case .opcodeChange:
            let opcode = UInt16(truncatingIfNeeded: random.below(2) == 0 ? random.next() : UInt64(random.below(0x0400)))
            frame[6] = UInt8(opcode >> 8)
            frame[7] = UInt8(opcode & 0xFF)
        case .versionChange:
            frame[4] = UInt8(truncatingIfNeeded: 2 + random.below(254))
        case .badLength, .randomBytes:
            break
        }
        var bytes = Array(frame[0..<12]) + body
        Self.put(UInt32(bytes.count - 4), into: &bytes, at: 0)
        switch mutation {
        case .badLength:
            let lengths: [UInt32] = [0, 1, 7, UInt32(bytes.count - 4 + 1 + random.below(64)), 0xFFFF_FFFF, 0x0100_0001]
            Self.put(lengths[random.below(lengths.count)], into: &bytes, at: 0)
        case .randomBytes:
            bytes = random.bytes(1 + random.below(64))
        default:
            break
        }
        return Frame(bytes: bytes, mutation: mutation)
    }

    private mutating func pickMutation() -> HostileMutation {
        let total = weights.reduce(0) { $0 + $1.1 }
        var pick = random.below(total)
        for (mutation, weight) in weights {
            if pick < weight { return mutation }
            pick -= weight
        }
        return .valid
    }

    private static func put(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        guard offset + 4 <= bytes.count else { return }
        bytes[offset] = UInt8(value >> 24)
        bytes[offset + 1] = UInt8((value >> 16) & 0xFF)
        bytes[offset + 2] = UInt8((value >> 8) & 0xFF)
        bytes[offset + 3] = UInt8(value & 0xFF)
    }
}
