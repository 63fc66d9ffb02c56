import Testing

@testable import ChurnML

/// ROC and PR curve points, and thinning.
@Suite("Curves")
struct CurveTests {
    static let labels: [Float] = [1, 0, 1, 0, 1, 0]
    static let scores: [Float] = [0.9, 0.8, 0.6, 0.6, 0.3, 0.1]

    private func expectPoints(
        _ actual: [CurvePoint], _ expected: [(Double, Double, Double)],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (point, want) in zip(actual, expected) {
            #expect(abs(point.x - want.0) < 1e-12, "x of \(point)", sourceLocation: sourceLocation)
            #expect(abs(point.y - want.1) < 1e-12, "y of \(point)", sourceLocation: sourceLocation)
            #expect(abs(point.threshold - want.2) < 1e-6, "threshold of \(point)", sourceLocation: sourceLocation)
        }
    }

    @Test func rocPointsOnePerDistinctScore() {
        // 3 positives, 3 negatives. Cumulative (fp, tp) at each distinct score, decreasing:
        //   start (0,0) at 0.9 + 1; 0.9 → (0,1); 0.8 → (1,1); 0.6 → (2,2); 0.3 → (2,3); 0.1 → (3,3).
        // (scikit-learn roc_curve(drop_intermediate=False) gives the same fpr/tpr.)
        let points = ROCCurve.points(labels: Self.labels, scores: Self.scores)
        expectPoints(
            points,
            [
                (0, 0, 1.9), (0, 1.0 / 3, 0.9), (1.0 / 3, 1.0 / 3, 0.8),
                (2.0 / 3, 2.0 / 3, 0.6), (2.0 / 3, 1, 0.3), (1, 1, 0.1),
            ])
    }

    @Test func rocTrapezoidAreaEqualsRankAUC() throws {
        // Trapezoids: 1/3·(1/3) + 1/3·(1/3 + 2/3)/2 + 0 + 1/3·1 = 1/9 + 1/6 + 1/3 = 11/18,
        // the Mann–Whitney value in ClassificationMetricsTests.
        let points = ROCCurve.points(labels: Self.labels, scores: Self.scores)
        var area = 0.0
        for i in 1..<points.count {
            area += (points[i].x - points[i - 1].x) * (points[i].y + points[i - 1].y) / 2
        }
        #expect(abs(area - 11.0 / 18.0) < 1e-12)
    }

    @Test func prPointsRecallNonDecreasing() {
        // (recall, precision) = (tp/3, tp/(tp+fp)): start (0, 1); 0.9 → (1/3, 1); 0.8 → (1/3, 1/2);
        // 0.6 → (2/3, 1/2); 0.3 → (1, 3/5); 0.1 → (1, 1/2). This is scikit-learn's
        // precision_recall_curve reversed.
        let points = PRCurve.points(labels: Self.labels, scores: Self.scores)
        expectPoints(
            points,
            [
                (0, 1, 1.9), (1.0 / 3, 1, 0.9), (1.0 / 3, 0.5, 0.8),
                (2.0 / 3, 0.5, 0.6), (1, 0.6, 0.3), (1, 0.5, 0.1),
            ])
    }

    @Test func signedZerosTieAndNaNRanksLowest() {
        // -0 and +0 are one score; NaN ranks below everything.
        let points = ROCCurve.points(labels: [1, 0, 1], scores: [0, -0.0, .nan])
        // Distinct scores: 0 (tp 1, fp 1), NaN (tp 2, fp 1) → start + 2 points.
        #expect(points.count == 3)
        #expect(points[1].x == 1 && points[1].y == 0.5)
        #expect(points[2].threshold == -Double.greatestFiniteMagnitude)
        #expect(points.allSatisfy { $0.threshold.isFinite })
    }

    @Test func invalidShapesGiveEmptyCurves() {
        #expect(ROCCurve.points(labels: [], scores: []).isEmpty)
        #expect(ROCCurve.points(labels: [1, 0], scores: [0.5]).isEmpty)
        #expect(PRCurve.points(labels: [1], scores: [0.5, 0.2]).isEmpty)
    }

    @Test func singleClassCurvesStayFinite() {
        // No negatives: every FPR is 0 (scikit-learn would give NaN).
        let roc = ROCCurve.points(labels: [1, 1], scores: [0.2, 0.7])
        #expect(roc.map(\.x) == [0, 0, 0])
        #expect(roc.map(\.y) == [0, 0.5, 1])
        // No positives: every recall is 0 and precision 0 after the start point.
        let pr = PRCurve.points(labels: [0, 0], scores: [0.2, 0.7])
        #expect(pr.map(\.x) == [0, 0, 0])
        #expect(pr.map(\.y) == [1, 0, 0])
    }

    @Test func thinningKeepsEndsAndSpacesEvenly() {
        let points = (0..<10).map { CurvePoint(x: Double($0), y: 0, threshold: 0) }
        // n = 10, m = 4: indices round(k · 9/3) = 0, 3, 6, 9.
        #expect(ROCCurve.thinned(points, maxPoints: 4).map(\.x) == [0, 3, 6, 9])
        // n = 10, m = 3: round(k · 9/2) = 0, round(4.5) = 5, 9.
        #expect(PRCurve.thinned(points, maxPoints: 3).map(\.x) == [0, 5, 9])
        #expect(ROCCurve.thinned(points, maxPoints: 2).map(\.x) == [0, 9])
        #expect(ROCCurve.thinned(points, maxPoints: 1).map(\.x) == [0])
        #expect(ROCCurve.thinned(points, maxPoints: 0).isEmpty)
        #expect(ROCCurve.thinned(points, maxPoints: -3).isEmpty)
        #expect(ROCCurve.thinned(points, maxPoints: 10) == points)
        #expect(ROCCurve.thinned(points, maxPoints: 50) == points)
        #expect(ROCCurve.thinned([], maxPoints: 5).isEmpty)
    }

    @Test func thinningNeverRepeatsAPoint() {
        for n in 2...60 {
            let points = (0..<n).map { CurvePoint(x: Double($0), y: 0, threshold: 0) }
            for m in 2...n {
                let xs = ROCCurve.thinned(points, maxPoints: m).map(\.x)
                #expect(xs.count == m)
                #expect(xs.first == 0 && xs.last == Double(n - 1))
                #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }, "n \(n) m \(m)")
            }
        }
    }
}
