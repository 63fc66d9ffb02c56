import Foundation
import LinearAlgebra

/// Every customer of a table scored for a retention campaign: churn probability, the expected value
/// of targeting them, their strongest factors, and the order to call them in (highest expected value
/// first). Made by ``ModelBundle/rank(_:economics:customerValues:top:threads:policy:)``.
public struct CustomerRanking: Sendable {
    /// Churn probability per row (table order).
    public var probabilities: [Float]
    /// Expected profit of targeting each row (table order): `p · saveRate · value − offerCost`.
    public var expectedValues: [Double]
    /// The attribution's column names; factor indices point into it.
    public var factorColumns: [String]
    /// `factorsPerRow` entries per row (table order): the column index of each top factor, largest
    /// absolute contribution first (-1 when the model has fewer columns).
    public var factorIndices: [Int32]
    /// The contributions of those factors, in probability units.
    public var factorContributions: [Double]
    /// Factors kept per row.
    public var factorsPerRow: Int
    /// Row indices by decreasing expected value (ties: table order).
    public var order: [Int]
    /// What targeting every customer with a positive expected value would bring.
    public var summary: CampaignSummary
    /// Values encoded with a fallback (unseen categories under the `zeros` policy).
    public var warnings: [EncodingWarning]
}

/// The campaign that targets every customer whose expected value is positive.
public struct CampaignSummary: Codable, Sendable, Equatable {
    /// Customers scored.
    public var customers: Int
    /// Customers worth an offer (expected value > 0).
    public var targeted: Int
    /// Expected churners among them: the sum of their probabilities.
    public var expectedChurnersReached: Double
    /// Expected churners among all customers.
    public var expectedChurners: Double
    /// Expected customers kept: churners reached × save rate.
    public var expectedSaved: Double
    /// Sum of the targeted customers' expected values.
    public var expectedProfit: Double
    /// The assumptions.
    public var economics: RetentionEconomics

    /// Snake-case keys.
    enum CodingKeys: String, CodingKey {
        case customers, targeted
        case expectedChurnersReached = "expected_churners_reached"
        case expectedChurners = "expected_churners"
        case expectedSaved = "expected_saved"
        case expectedProfit = "expected_profit"
        case economics
    }
}

extension ModelBundle {
    /// Scores and ranks every row of `table` for a campaign.
    ///
    /// - Parameters:
    ///   - customerValues: per-row value of keeping the customer (nil or NaN entries take
    ///     `economics.customerValue`); nil for the same value for everyone.
    ///   - top: factors kept per row.
    ///   - threads: rows are explained in parallel on this many threads.
    /// - Throws: `DataError` naming the line, column and value of an unusable field.
    public func rank(
        _ table: Table, economics: RetentionEconomics, customerValues: [Double]? = nil, top: Int = 3, threads: Int = 2,
        policy: UnseenCategoryPolicy? = nil
    ) throws -> CustomerRanking {
        let encoded = try pipeline.transform(table, policy: policy)
        let rows = encoded.features.rows
        let columns = pipeline.encoders.map(\.column)
        let top = max(0, min(top, columns.count))
        var probabilities = [Float](repeating: 0, count: rows)
        var indices = [Int32](repeating: -1, count: rows * top)
        var contributions = [Double](repeating: 0, count: rows * top)
        let chunk = 4096
        let chunks = (rows + chunk - 1) / chunk
        let threads = max(1, min(threads, chunks))
        let failure = FailureBox()
        // The rows are split over our own threads; OpenBLAS threading on top of them only contends.
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(blasThreads) }
        try encoded.features.withView { all in
            guard let base = all.base else { return }
            probabilities.withUnsafeMutableBufferPointer { probabilityBuffer in
                indices.withUnsafeMutableBufferPointer { indexBuffer in
                    contributions.withUnsafeMutableBufferPointer { contributionBuffer in
                        let output = RankingBuffers(
                            input: base, probabilities: probabilityBuffer, indices: indexBuffer,
                            contributions: contributionBuffer)
                        DispatchQueue.concurrentPerform(iterations: threads) { worker in
                            do {
                                try explainChunks(
                                    rows: rows, chunk: chunk, worker: worker, workers: threads, top: top, into: output)
                            } catch {
                                failure.record(error)
                            }
                        }
                    }
                }
            }
        }
        if let error = failure.error { throw error }
        var values = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            var value = economics.customerValue
            if let customerValues, row < customerValues.count, customerValues[row].isFinite {
                value = customerValues[row]
            }
            values[row] = Double(probabilities[row]) * economics.saveRate * value - economics.offerCost
        }
        let order =
            customerValues == nil
            ? Self.rankByProbability(probabilities)
            : (0..<rows).sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var summary = CampaignSummary(
            customers: rows, targeted: 0, expectedChurnersReached: 0,
            expectedChurners: probabilities.reduce(0) { $0 + Double($1) }, expectedSaved: 0, expectedProfit: 0,
            economics: economics)
        for row in order where values[row] > 0 {
            summary.targeted += 1
            summary.expectedChurnersReached += Double(probabilities[row])
            summary.expectedProfit += values[row]
        }
        summary.expectedSaved = summary.expectedChurnersReached * economics.saveRate
        return CustomerRanking(
            probabilities: probabilities, expectedValues: values, factorColumns: columns, factorIndices: indices,
            factorContributions: contributions, factorsPerRow: top, order: order, summary: summary,
            warnings: encoded.warnings)
    }

    /// Row indices by decreasing probability, ties in row order: with one customer value for everyone
    /// the expected value grows with the probability, so this is the expected-value order, found by a
    /// radix sort of (probability bits, row) keys instead of a comparison sort of doubles.
    static func rankByProbability(_ probabilities: [Float]) -> [Int] {
        guard probabilities.count <= Int(UInt32.max) else {
            return probabilities.indices.sorted {
                probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
            }
        }
        var keys = probabilities.enumerated().map { row, probability in
            UInt64(~RankedScores.orderedBits(probability)) << 32 | UInt64(row)
        }
        // The radix sort is stable (rows stay in order within a probability); below its threshold the
        // whole key, row included, is compared.
        if keys.count < ScoreKeySort.radixThreshold { keys.sort() } else { ScoreKeySort.sort(&keys) }
        return keys.map { Int($0 & 0xFFFF_FFFF) }
    }

    /// Explains chunks `worker`, `worker + workers`, … of the encoded rows at `output.input`.
    private func explainChunks(
        rows: Int, chunk: Int, worker: Int, workers: Int, top: Int, into output: RankingBuffers
    ) throws {
        let engine = ColumnAttribution(
            network: network, pipeline: pipeline, steps: ModelBundle.explanationSteps, chunk: chunk)
        let evaluator = NetworkEvaluator(network: network, maxChunkRows: chunk)
        let columnCount = engine.columns.count
        var contributions = [Double](repeating: 0, count: chunk * columnCount)
        var start = worker * chunk
        while start < rows {
            let count = min(chunk, rows - start)
            let rowsBase = output.input + start * engine.width
            guard let probabilities = output.probabilities.baseAddress else { return }
            try evaluator.probabilities(rowsBase, rows: count, into: probabilities + start)
            try contributions.withUnsafeMutableBufferPointer { buffer in
                guard top > 0, let target = buffer.baseAddress else { return }
                try engine.attribute(rowsBase, count: count, into: target)
                for row in 0..<count {
                    let slot = (start + row) * top
                    for rank in 0..<top {
                        var best = -1
                        var bestMagnitude = -1.0
                        for column in 0..<columnCount {
                            let magnitude = abs(buffer[row * columnCount + column])
                            if magnitude > bestMagnitude,
                                !(0..<rank).contains(where: { output.indices[slot + $0] == Int32(column) })
                            {
                                best = column
                                bestMagnitude = magnitude
                            }
                        }
                        output.indices[slot + rank] = Int32(best)
                        output.contributions[slot + rank] = best >= 0 ? buffer[row * columnCount + best] : 0
                    }
                }
            }
            start += chunk * workers
        }
    }
}

/// The encoded rows the ranking workers read and the output buffers they fill, each worker its own rows.
private struct RankingBuffers: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let probabilities: UnsafeMutableBufferPointer<Float>
    let indices: UnsafeMutableBufferPointer<Int32>
    let contributions: UnsafeMutableBufferPointer<Double>
}

/// The first error a worker thread hit.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: (any Error)?

    func record(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }
}
