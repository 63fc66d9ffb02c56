import ChurnML
import Testing
import Wire

/// Wire cannot depend on ChurnML, so the promotion metrics keep their own list; this keeps it equal
/// to ChurnML's one table of metric names, each metric on exactly one side.
@Suite("Promotion metric names")
struct PromotionMetricNamesTests {
    @Test("promotion compares exactly the metrics ClassificationMetrics names")
    func sameNames() {
        #expect(PromotionMetric.all == ClassificationMetrics.metricNames.sorted())
        #expect(PromotionMetric.higherIsBetter.isDisjoint(with: PromotionMetric.lowerIsBetter))
    }
}
