import ChurnML

/// How the fast Predict path encodes one model column straight from wire bytes — the same
/// arithmetic as `FeaturePipeline.transform`, precomputed per model (levels as bytes and numbers,
/// fill values, output position). Anything it cannot encode exactly that way (an unseen category,
/// a number given as text, …) makes the request fall back to the general path.
struct FastColumnPlan: Sendable {
    /// How values map to features.
    enum Kind: Sendable {
        /// One feature: the number, or `fill` when missing.
        case numeric(fill: Double)
        /// One feature: the level's index (0 or 1).
        case binary
        /// One feature per level: 1 at the level's index.
        case oneHot
    }

    /// The column name's UTF-8 bytes.
    let name: [UInt8]
    /// Encoding.
    let kind: Kind
    /// First output feature.
    let offset: Int
    /// Known levels as UTF-8 bytes, in encoding order (binary, one-hot).
    let levelBytes: [[UInt8]]
    /// Known levels as numbers when the training column held numbers (else empty).
    let levelNumbers: [Double]
    /// Index of the imputed level for a missing value, if any.
    let fillIndex: Int?

    /// The plan for `encoder`, whose features start at `offset`.
    init(encoder: FeatureEncoder, offset: Int) {
        name = Array(encoder.column.utf8)
        self.offset = offset
        switch encoder.role {
        case .binary: kind = .binary
        case .categorical: kind = .oneHot
        default: kind = .numeric(fill: encoder.numericFill ?? 0)
        }
        levelBytes = encoder.levels.map { Array($0.utf8) }
        // Mirrors EncoderColumnWriter: numeric-source levels are looked up by their parsed value.
        var numbers: [Double] = []
        if encoder.numericSource {
            numbers = encoder.levels.map { Double($0) ?? .nan }
        }
        levelNumbers = numbers
        var fill: Int?
        if let level = encoder.fill { fill = encoder.levels.firstIndex(of: level) }
        fillIndex = fill
    }

    /// The level index of a number, as `EncoderColumnWriter` finds it (a dictionary keyed by the
    /// parsed levels, so the last of equal numbers wins); nil when unknown.
    @inline(__always)
    func level(of number: Double) -> Int? {
        var index = levelNumbers.count - 1
        while index >= 0 {
            if levelNumbers[index] == number { return index }
            index -= 1
        }
        return nil
    }

    /// Whether the column's name equals the `count` bytes at `start`.
    @inline(__always)
    func matches(_ raw: UnsafeRawBufferPointer, start: Int, count: Int) -> Bool {
        guard name.count == count else { return false }
        return name.withUnsafeBytes { name in
            var position = 0
            while position < count {
                if name[position] != raw[start + position] { return false }
                position += 1
            }
            return true
        }
    }

    /// The level whose UTF-8 bytes equal `count` bytes at `bytes`; nil when none does (the general
    /// path then decides: another spelling may still be canonically equal, or it is unseen).
    @inline(__always)
    func level(of bytes: UnsafeRawBufferPointer, at start: Int, count: Int) -> Int? {
        for (index, level) in levelBytes.enumerated() where level.count == count {
            var equal = true
            var position = 0
            while position < count {
                if level[position] != bytes[start + position] {
                    equal = false
                    break
                }
                position += 1
            }
            if equal { return index }
        }
        return nil
    }
}
