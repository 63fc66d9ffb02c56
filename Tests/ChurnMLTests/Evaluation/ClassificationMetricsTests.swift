import Foundation
import Testing

@testable import ChurnML

/// Hand-computed cases for every metric of `ClassificationMetrics`.
@Suite("ClassificationMetrics")
struct ClassificationMetricsTests {
    /// Six rows with a tie between a positive and a negative at 0.6.
    ///
    ///     row  label  p     predicted (p >= 0.5)
    ///     0    1      0.9   1   tp
    ///     1    0      0.8   1   fp
    ///     2    1      0.6   1   tp
    ///     3    0      0.6   1   fp
    ///     4    1      0.3   0   fn
    ///     5    0      0.1   0   tn
    static let labels: [Float] = [1, 0, 1, 0, 1, 0]
    static let probabilities: [Float] = [0.9, 0.8, 0.6, 0.6, 0.3, 0.1]

    @Test func sixRowsWithTies() throws {
        let m = try ClassificationMetrics.compute(
            labels: Self.labels, probabilities: Self.probabilities, threshold: 0.5)
        #expect(m.rows == 6)
        #expect(m.threshold == 0.5)
        #expect(m.confusionMatrix == ConfusionMatrix(tp: 2, fp: 2, tn: 1, fn: 1))
        // accuracy = (tp + tn) / 6 = 3/6
        #expect(abs(m.accuracy - 0.5) < 1e-12)
        // precision = 2 / (2 + 2)
        #expect(abs(m.precision - 0.5) < 1e-12)
        // recall = 2 / (2 + 1)
        #expect(abs(m.recall - 2.0 / 3.0) < 1e-12)
        // f1 = 2 · (1/2)(2/3) / (1/2 + 2/3) = (2/3) / (7/6) = 4/7
        #expect(abs(m.f1 - 4.0 / 7.0) < 1e-12)
        // ROC-AUC: positives {0.9, 0.6, 0.3} against negatives {0.8, 0.6, 0.1}:
        //   0.9 beats all three → 3; 0.6 beats 0.1, ties 0.6 → 1.5; 0.3 beats 0.1 → 1.
        //   (3 + 1.5 + 1) / 9 = 11/18
        let auc = try #require(m.rocAUC)
        #expect(abs(auc - 11.0 / 18.0) < 1e-12)
        // AP over distinct thresholds (recall, precision):
        //   0.9 → (1/3, 1): 1/3 · 1;  0.8 → (1/3, 1/2): ΔR 0;  0.6 → (2/3, 2/4): 1/3 · 1/2;
        //   0.3 → (1, 3/5): 1/3 · 3/5;  0.1 → (1, 1/2): ΔR 0.  Sum = 1/3 + 1/6 + 1/5 = 0.7
        let ap = try #require(m.prAUC)
        #expect(abs(ap - 0.7) < 1e-12)
        // log loss = −(ln 0.9 + ln 0.2 + ln 0.6 + ln 0.4 + ln 0.3 + ln 0.9) / 6
        //          = −(−0.1053605 − 1.6094379 − 0.5108256 − 0.9162907 − 1.2039728 − 0.1053605) / 6
        //          = 4.4512481 / 6 = 0.7418747  (scikit-learn's log_loss gives 0.74187)
        #expect(abs(m.logLoss - 0.7418747) < 1e-6)
        // Brier = (0.1² + 0.8² + 0.4² + 0.6² + 0.7² + 0.1²) / 6 = 1.67 / 6 = 0.2783333
        #expect(abs(m.brier - 1.67 / 6.0) < 1e-6)
    }

    @Test func thresholdIsInclusive() throws {
        // At threshold 0.6 the two rows at exactly 0.6 are predicted positive (p >= threshold).
        let m = try ClassificationMetrics.compute(
            labels: Self.labels, probabilities: Self.probabilities, threshold: Double(Float(0.6)))
        #expect(m.confusionMatrix == ConfusionMatrix(tp: 2, fp: 2, tn: 1, fn: 1))
        // Just above 0.6 they are not: tp = {0.9}, fp = {0.8}, fn = {0.6, 0.3}, tn = {0.6, 0.1}.
        let above = try ClassificationMetrics.compute(
            labels: Self.labels, probabilities: Self.probabilities, threshold: 0.61)
        #expect(above.confusionMatrix == ConfusionMatrix(tp: 1, fp: 1, tn: 2, fn: 2))
    }

    @Test func perfectClassifier() throws {
        let m = try ClassificationMetrics.compute(
            labels: [0, 0, 1, 1], probabilities: [0.1, 0.2, 0.8, 0.9], threshold: 0.5)
        #expect(m.confusionMatrix == ConfusionMatrix(tp: 2, fp: 0, tn: 2, fn: 0))
        #expect(m.accuracy == 1)
        #expect(m.precision == 1)
        #expect(m.recall == 1)
        #expect(m.f1 == 1)
        #expect(m.rocAUC == 1)
        #expect(m.prAUC == 1)
        // log loss = −(ln 0.9 + ln 0.8 + ln 0.8 + ln 0.9) / 4 = (0.1053605 + 0.2231436) / 2 = 0.1642520
        #expect(abs(m.logLoss - 0.1642520) < 1e-6)
        // Brier = (0.01 + 0.04 + 0.04 + 0.01) / 4 = 0.025
        #expect(abs(m.brier - 0.025) < 1e-6)
    }

    @Test func invertedClassifier() throws {
        let m = try ClassificationMetrics.compute(
            labels: [0, 0, 1, 1], probabilities: [0.9, 0.8, 0.2, 0.1], threshold: 0.5)
        #expect(m.confusionMatrix == ConfusionMatrix(tp: 0, fp: 2, tn: 0, fn: 2))
        #expect(m.accuracy == 0)
        #expect(m.precision == 0)
        #expect(m.recall == 0)
        #expect(m.f1 == 0)
        #expect(m.rocAUC == 0)
        // AP: 0.9, 0.8 are negatives (recall 0); 0.2 → (1/2, 1/3): 1/2 · 1/3; 0.1 → (1, 2/4): 1/2 · 1/2.
        //     1/6 + 1/4 = 5/12
        #expect(abs(try #require(m.prAUC) - 5.0 / 12.0) < 1e-12)
    }

    @Test func averagePrecisionKnownCase() throws {
        // scikit-learn's documented example: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        // = 0.8333…, roc_auc_score = 0.75.
        // By hand: 0.8 → (1/2, 1): 1/2;  0.4 → (1/2, 1/2): ΔR 0;  0.35 → (1, 2/3): 1/2 · 2/3 = 1/3.
        // ROC pairs: 0.35 beats 0.1, loses to 0.4; 0.8 beats both → 3/4.
        let m = try ClassificationMetrics.compute(
            labels: [0, 0, 1, 1], probabilities: [0.1, 0.4, 0.35, 0.8], threshold: 0.5)
        #expect(abs(try #require(m.prAUC) - 5.0 / 6.0) < 1e-12)
        #expect(abs(try #require(m.rocAUC) - 0.75) < 1e-12)
    }

    @Test func tiesCountHalf() throws {
        // All scores equal: every pair is a tie → AUC 1/2.
        let allTied = try ClassificationMetrics.compute(
            labels: [1, 0, 1, 0], probabilities: [0.5, 0.5, 0.5, 0.5], threshold: 0.5)
        #expect(allTied.rocAUC == 0.5)
        // AP with one threshold: recall 1 at precision 2/4 → 0.5.
        #expect(allTied.prAUC == 0.5)
        // One positive at 0.5, negatives at 0.5 (tie: 1/2) and 0.2 (win: 1) → 1.5 / 2 = 0.75.
        let oneTie = try ClassificationMetrics.compute(
            labels: [1, 0, 0], probabilities: [0.5, 0.5, 0.2], threshold: 0.5)
        #expect(oneTie.rocAUC == 0.75)
    }

    @Test func singleClassLeavesAUCsUndefined() throws {
        let positives = try ClassificationMetrics.compute(
            labels: [1, 1, 1], probabilities: [0.9, 0.4, 0.7], threshold: 0.5)
        #expect(positives.rocAUC == nil)
        #expect(positives.prAUC == nil)
        // tp = 2 (0.9, 0.7), fn = 1 (0.4): recall 2/3, precision 1, accuracy 2/3.
        #expect(positives.confusionMatrix == ConfusionMatrix(tp: 2, fp: 0, tn: 0, fn: 1))
        #expect(abs(positives.recall - 2.0 / 3.0) < 1e-12)
        #expect(positives.precision == 1)

        let negatives = try ClassificationMetrics.compute(labels: [0, 0], probabilities: [0.1, 0.2], threshold: 0.5)
        #expect(negatives.rocAUC == nil)
        #expect(negatives.prAUC == nil)
        // Nothing predicted positive and no positives: precision, recall and f1 are 0 by convention.
        #expect(negatives.precision == 0)
        #expect(negatives.recall == 0)
        #expect(negatives.f1 == 0)
        #expect(negatives.accuracy == 1)
    }

    @Test func logLossClipsAtKerasEpsilon() throws {
        // p = 0 for a positive would be −ln 0 = ∞; clipped to 1e-7 it is −ln(1e-7) = 16.1180957.
        // p = 1 for a negative likewise: −ln(1 − (1 − 1e-7)) = 16.1180957 (up to rounding of 1 − 1e-7).
        let m = try ClassificationMetrics.compute(labels: [1, 0], probabilities: [0, 1], threshold: 0.5)
        #expect(abs(m.logLoss - 16.1180957) < 1e-6)
        #expect(m.brier == 1)
        #expect(m.logLoss.isFinite)
    }

    @Test func jsonUsesSnakeCaseKeysAndNullForUndefinedAUC() throws {
        let m = try ClassificationMetrics.compute(labels: [1, 1], probabilities: [0.9, 0.4], threshold: 0.5)
        let data = try JSONEncoder().encode(m)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "rows", "accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc",
                "log_loss", "brier", "threshold", "confusion_matrix",
            ])
        #expect(object["roc_auc"] is NSNull)
        #expect(object["pr_auc"] is NSNull)
        let matrix = try #require(object["confusion_matrix"] as? [String: Any])
        #expect(Set(matrix.keys) == ["tp", "fp", "tn", "fn"])
        #expect(matrix["tp"] as? Int == 1)
        #expect(matrix["fn"] as? Int == 1)
        let decoded = try JSONDecoder().decode(ClassificationMetrics.self, from: data)
        #expect(decoded == m)
    }

    @Test func jsonRoundTripWithDefinedAUC() throws {
        let m = try ClassificationMetrics.compute(
            labels: Self.labels, probabilities: Self.probabilities, threshold: 0.5)
        let data = try JSONEncoder().encode(m)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(abs((object["roc_auc"] as? Double ?? -1) - 11.0 / 18.0) < 1e-12)
        #expect(try JSONDecoder().decode(ClassificationMetrics.self, from: data) == m)
    }

    @Test func metricNamesAreTheJSONKeysInOrderWithTheirValues() throws {
        #expect(
            ClassificationMetrics.metricNames == [
                "accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss", "brier",
            ])
        let m = try ClassificationMetrics.compute(
            labels: Self.labels, probabilities: Self.probabilities, threshold: 0.5)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(m)) as? [String: Any])
        #expect(m.namedValues.map(\.name) == ClassificationMetrics.metricNames)
        for (name, value) in m.namedValues {
            // JSONSerialization on Linux may differ from the written value in the last bit.
            #expect(abs((object[name] as? Double ?? .nan) - (value ?? .nan)) < 1e-12, "\(name)")
        }
        #expect(m.indexedValues.count == 8)
        #expect(m.indexedValues["roc_auc"] == m.rocAUC)
    }

    @Test func indexedValuesLeaveOutUndefinedAndNonFinite() throws {
        var m = try ClassificationMetrics.compute(labels: [1, 1], probabilities: [0.9, 0.4], threshold: 0.5)
        m.logLoss = .infinity
        #expect(Set(m.indexedValues.keys) == ["accuracy", "precision", "recall", "f1", "brier"])
        #expect(m.namedValues.first { $0.name == "pr_auc" }.map { $0.value == nil } == true)
    }
}
