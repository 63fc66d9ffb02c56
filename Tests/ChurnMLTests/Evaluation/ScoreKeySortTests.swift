import Testing

@testable import ChurnML

/// The radix sort behind every curve and AUC orders scores exactly like a comparison sort.
@Suite("ScoreKeySort")
struct ScoreKeySortTests {
    @Test(arguments: [10, 255, 256, 257, 5_000])
    func ordersLikeAComparisonSort(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        let specials: [Float] = [
            .infinity, -.infinity, .nan, 0, -0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 1, -1,
        ]
        let scores: [Float] = (0..<count).map { i in
            if i % 7 == 0 { return specials[generator.nextIndex(below: specials.count)] }
            // Mixed signs, a wide range of exponents, and many exact ties.
            let magnitude = Float(generator.nextIndex(below: 50)) * Float(1 << generator.nextIndex(below: 20)) / 1024
            return generator.nextIndex(below: 2) == 0 ? magnitude : -magnitude
        }
        var keys = scores.enumerated().map {
            UInt64(~RankedScores.orderedBits($0.element)) << 32 | UInt64($0.offset & 1)
        }
        ScoreKeySort.sort(&keys)
        let sortedScores = keys.map { RankedScores.score(fromOrderedBits: ~UInt32(truncatingIfNeeded: $0 >> 32)) }
        // Independent expectation: NaN → -infinity, -0 → +0, then sort descending with `>`.
        let expected = scores.map { $0.isNaN ? -Float.infinity : ($0 == 0 ? 0 : $0) }.sorted(by: >)
        #expect(sortedScores.map(\.bitPattern) == expected.map(\.bitPattern))
        // The label bits travel with their keys: as many odd as went in.
        #expect(keys.filter { $0 & 1 == 1 }.count == count / 2)
    }
}
