import Testing

@testable import ChurnML

/// Randomized cross-checks of the O(n log n) AUC and AP against naive computations.
@Suite("AUCCrossCheck")
struct AUCCrossCheckTests {
    /// Naive O(n²) Mann–Whitney: over every (positive, negative) pair, 1 if the positive scores
    /// higher, 1/2 on a tie.
    private func naiveAUC(_ labels: [Float], _ scores: [Float]) -> Double {
        var wins = 0.0
        var pairs = 0.0
        for i in labels.indices where labels[i] == 1 {
            for j in labels.indices where labels[j] == 0 {
                pairs += 1
                if scores[i] > scores[j] { wins += 1 } else if scores[i] == scores[j] { wins += 0.5 }
            }
        }
        return wins / pairs
    }

    /// Naive average precision: for each distinct score t (decreasing), count by a full scan the
    /// rows with score >= t, then sum (R_t − R_prev) · P_t.
    private func naiveAP(_ labels: [Float], _ scores: [Float]) -> Double {
        let distinct = Array(Set(scores)).sorted(by: >)
        let positives = Double(labels.filter { $0 == 1 }.count)
        var ap = 0.0
        var previousRecall = 0.0
        for t in distinct {
            var tp = 0.0
            var predicted = 0.0
            for i in scores.indices where scores[i] >= t {
                predicted += 1
                if labels[i] == 1 { tp += 1 }
            }
            let recall = tp / positives
            ap += (recall - previousRecall) * (tp / predicted)
            previousRecall = recall
        }
        return ap
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func randomizedAgainstNaive(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let n = 50 + generator.nextIndex(below: 400)
        // Few levels on odd seeds (many ties), many on even seeds.
        let levels = seed % 2 == 1 ? 12 : 100_000
        var labels: [Float] = []
        var scores: [Float] = []
        for _ in 0..<n {
            let label: Float = generator.nextUnitDouble() < 0.3 ? 1 : 0
            // Informative but noisy: positives lean high.
            let raw = min(0.999_999, max(0, generator.nextUnitDouble() * 0.7 + Double(label) * 0.3))
            labels.append(label)
            scores.append(Float(Int(raw * Double(levels))) / Float(levels))
        }
        labels[0] = 1
        labels[1] = 0
        let metrics = try ClassificationMetrics.compute(labels: labels, probabilities: scores, threshold: 0.5)
        let auc = try #require(metrics.rocAUC)
        let ap = try #require(metrics.prAUC)
        #expect(abs(auc - naiveAUC(labels, scores)) < 1e-12)
        #expect(abs(ap - naiveAP(labels, scores)) < 1e-12)

        // The trapezoid area under the ROC curve is the same number.
        let points = ROCCurve.points(labels: labels, scores: scores)
        var area = 0.0
        for i in 1..<points.count {
            area += (points[i].x - points[i - 1].x) * (points[i].y + points[i - 1].y) / 2
        }
        #expect(abs(area - auc) < 1e-12)
        #expect(points.count == Set(scores).count + 1)
        #expect(points.last?.x == 1 && points.last?.y == 1)
    }
}
