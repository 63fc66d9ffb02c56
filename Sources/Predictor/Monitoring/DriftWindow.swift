import ChurnML
import Wire

/// Counts of live rows in a baseline's bins over a rolling window: blocks of ``blockRows`` rows,
/// the newest ``blockCount`` of them kept (the block being filled included), so the window covers
/// the last `blockRows × (blockCount − 1)` to `blockRows × blockCount` rows.
struct DriftWindow {
    /// The distributions compared with, inputs then the score.
    let distributions: [ColumnDistribution]
    let blockRows: Int
    let blockCount: Int
    /// Per block, per distribution, per bin.
    private(set) var blocks: [[[Int]]]
    private var rowsInNewest = 0

    init(baseline: DriftBaseline, blockRows: Int, blockCount: Int) {
        distributions = baseline.columns + [baseline.score]
        self.blockRows = blockRows
        self.blockCount = blockCount
        blocks = [Self.emptyBlock(distributions)]
    }

    private static func emptyBlock(_ distributions: [ColumnDistribution]) -> [[Int]] {
        distributions.map { [Int](repeating: 0, count: $0.binCount) }
    }

    /// Rows in the window.
    var rows: Int { (blocks.count - 1) * blockRows + rowsInNewest }

    /// Counts the rows of one answered request: each input column found by name (an input the
    /// request lacks counts as missing), and the score.
    mutating func add(_ request: PredictRequest, probabilities: [Float]) {
        let columns = Dictionary(request.columns.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        for row in 0..<probabilities.count {
            if rowsInNewest == blockRows {
                blocks.append(Self.emptyBlock(distributions))
                if blocks.count > blockCount { blocks.removeFirst() }
                rowsInNewest = 0
            }
            let newest = blocks.count - 1
            for (index, distribution) in distributions.enumerated() {
                let bin: Int
                if index == distributions.count - 1 {
                    bin = distribution.bin(Double(probabilities[row]))
                } else {
                    switch columns[distribution.name] {
                    case .numbers(let values)?: bin = distribution.bin(row < values.count ? values[row] : nil)
                    case .texts(let values)?: bin = distribution.bin(row < values.count ? values[row] : nil)
                    case nil: bin = distribution.binCount - 1
                    }
                }
                blocks[newest][index][bin] += 1
            }
            rowsInNewest += 1
        }
    }

    /// The PSI of each distribution over the window (nil for an empty window).
    func stability() -> [(name: String, index: Double?)] {
        distributions.enumerated().map { index, distribution in
            var counts = [Int](repeating: 0, count: distribution.binCount)
            for block in blocks {
                for bin in 0..<counts.count { counts[bin] += block[index][bin] }
            }
            return (distribution.name, PopulationStability.index(expected: distribution.shares, counts: counts))
        }
    }
}
