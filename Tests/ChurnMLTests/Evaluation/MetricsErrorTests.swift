import Testing

@testable import ChurnML

/// Invalid input to `ClassificationMetrics.compute` throws, never traps.
@Suite("MetricsError")
struct MetricsErrorTests {
    @Test func emptyInput() {
        #expect(throws: MetricsError.empty) {
            try ClassificationMetrics.compute(labels: [], probabilities: [], threshold: 0.5)
        }
    }

    @Test func lengthMismatch() {
        #expect(throws: MetricsError.lengthMismatch(labels: 2, probabilities: 3)) {
            try ClassificationMetrics.compute(labels: [0, 1], probabilities: [0.1, 0.2, 0.3], threshold: 0.5)
        }
    }

    @Test func labelNotBinary() {
        #expect(throws: MetricsError.invalidLabel(index: 1, value: 0.5)) {
            try ClassificationMetrics.compute(labels: [0, 0.5], probabilities: [0.1, 0.2], threshold: 0.5)
        }
        #expect(throws: MetricsError.invalidLabel(index: 0, value: 2)) {
            try ClassificationMetrics.compute(labels: [2, 1], probabilities: [0.1, 0.2], threshold: 0.5)
        }
        let error = #expect(throws: MetricsError.self) {
            try ClassificationMetrics.compute(labels: [0, .nan], probabilities: [0.1, 0.2], threshold: 0.5)
        }
        guard case .invalidLabel(index: 1, let value)? = error else {
            Issue.record("expected invalidLabel at index 1, got \(String(describing: error))")
            return
        }
        #expect(value.isNaN)
    }

    @Test func probabilityOutOfRange() {
        #expect(throws: MetricsError.invalidProbability(index: 2, value: -0.1)) {
            try ClassificationMetrics.compute(labels: [0, 1, 1], probabilities: [0.1, 0.2, -0.1], threshold: 0.5)
        }
        #expect(throws: MetricsError.invalidProbability(index: 0, value: 1.5)) {
            try ClassificationMetrics.compute(labels: [0, 1], probabilities: [1.5, 0.2], threshold: 0.5)
        }
        #expect(throws: MetricsError.invalidProbability(index: 0, value: .infinity)) {
            try ClassificationMetrics.compute(labels: [0, 1], probabilities: [.infinity, 0.2], threshold: 0.5)
        }
        let error = #expect(throws: MetricsError.self) {
            try ClassificationMetrics.compute(labels: [0, 1], probabilities: [0.3, .nan], threshold: 0.5)
        }
        guard case .invalidProbability(index: 1, let value)? = error else {
            Issue.record("expected invalidProbability at index 1, got \(String(describing: error))")
            return
        }
        #expect(value.isNaN)
    }

    @Test func thresholdNotFinite() {
        #expect(throws: MetricsError.self) {
            try ClassificationMetrics.compute(labels: [0, 1], probabilities: [0.1, 0.2], threshold: .nan)
        }
        #expect(throws: MetricsError.invalidThreshold(.infinity)) {
            try ClassificationMetrics.compute(labels: [0, 1], probabilities: [0.1, 0.2], threshold: .infinity)
        }
    }

    @Test func messagesSayWhatAndWhere() {
        #expect(
            MetricsError.invalidLabel(index: 7, value: 3).description
                == "label at index 7 is 3.0; labels must be 0 or 1")
        #expect(
            MetricsError.lengthMismatch(labels: 4, probabilities: 5).description.contains(
                "4 labels but 5 probabilities"))
        #expect(MetricsError.invalidProbability(index: 2, value: 1.5).description.contains("index 2"))
        #expect(MetricsError.empty.description.contains("no rows"))
    }
}
