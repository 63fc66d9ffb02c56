import ChurnClient
import ChurnML
import Foundation
import NIOCore
import Testing
import Wire

@testable import Predictor

/// The predictor's drift monitor: bins live rows like the baseline, keeps a rolling window, and
/// flags the column whose distribution moved.
@Suite("Drift monitor")
struct DriftMonitorTests {
    /// A baseline of one number column `x` (cut at 10: half below, half above) and the score
    /// (cut at 0.5).
    static let baseline = DriftBaseline(
        source: "test", rows: 100,
        columns: [ColumnDistribution(name: "x", edges: [10], categories: nil, shares: [0.5, 0.5, 0])],
        score: ColumnDistribution(name: "score", edges: [0.5], categories: nil, shares: [0.5, 0.5, 0]))

    static func request(_ values: [Double]) -> PredictRequest {
        PredictRequest(columns: [.numbers("x", values)])
    }

    /// PSI of `actual` shares against `expected`, by the formula with the 0.0001 floor.
    static func psi(_ expected: [Double], _ actual: [Double]) -> Double {
        zip(expected, actual).reduce(0) { sum, pair in
            let e = max(pair.0, 0.0001)
            let a = max(pair.1, 0.0001)
            return sum + (a - e) * log(a / e)
        }
    }

    @Test("rows are binned like the baseline; the window keeps the newest blocks only")
    func window() throws {
        var window = DriftWindow(baseline: Self.baseline, blockRows: 10, blockCount: 2)
        window.add(
            Self.request(Array(repeating: 5, count: 10) + Array(repeating: 20, count: 10)),
            probabilities: Array(repeating: 0.2, count: 20))
        #expect(window.rows == 20)
        var stability = window.stability()
        #expect(stability.map(\.name) == ["x", "score"])
        #expect(abs((stability[0].index ?? -1) - 0) < 1e-12, "x matches the baseline: half and half")
        let allLow = Self.psi([0.5, 0.5, 0], [1, 0, 0])
        #expect(abs((stability[1].index ?? -1) - allLow) < 1e-12)

        // 15 more rows above 10: the first block (ten rows of 5) leaves the window.
        window.add(Self.request(Array(repeating: 30, count: 15)), probabilities: Array(repeating: 0.9, count: 15))
        #expect(window.rows == 15)  // a full block of 10 and 5 in the newest
        stability = window.stability()
        #expect(abs((stability[0].index ?? -1) - Self.psi([0.5, 0.5, 0], [0, 1, 0])) < 1e-12)
        #expect(abs((stability[1].index ?? -1) - Self.psi([0.5, 0.5, 0], [0, 1, 0])) < 1e-12)
    }

    @Test("a request without a baseline column counts it as missing")
    func absentColumn() {
        var window = DriftWindow(baseline: Self.baseline, blockRows: 100, blockCount: 2)
        window.add(PredictRequest(columns: [.numbers("other", [1, 2])]), probabilities: [0.1, 0.9])
        let index = window.stability()[0].index ?? -1
        #expect(abs(index - Self.psi([0.5, 0.5, 0], [0, 0, 1])) < 1e-12)
    }

    @Test("served rows like the training rows stay stable; Age shifted by 25 years is an alert for Age alone")
    func shiftedAge() throws {
        let model = try FastPathTests.serving()
        let monitor = DriftMonitor(queueCapacity: 10_000)
        let rows = TestData.table.rowCount
        func serve(_ edit: (inout [PredictColumn]) -> Void) throws {
            for start in stride(from: 0, to: rows, by: 100) {
                let body = FastPathTests.body(start..<min(start + 100, rows), model: model, edit: edit)
                let response = try #require(FastPathTests.general(body, model))
                monitor.observe(model: model, request: body, response: response)
            }
            monitor.drain()
        }
        try serve { _ in }
        var report = try #require(monitor.report)
        #expect(report.rows == min(rows, 10_000))
        #expect(report.level == .stable, "\(report)")
        #expect(monitor.healthNote == nil)

        try serve { columns in
            guard let index = columns.firstIndex(where: { $0.name == "Age" }),
                case .numbers(let ages) = columns[index].values
            else { return }
            columns[index] = .numbers("Age", ages.map { $0.map { $0 + 25 } })
        }
        report = try #require(monitor.report)
        let age = try #require(report.columns.first { $0.name == "Age" })
        #expect(age.level == .alert, "\(report)")
        #expect(report.columns.filter { $0.name != "Age" }.allSatisfy { $0.level == .stable }, "\(report)")
        let note = try #require(monitor.healthNote)
        #expect(note.hasPrefix("drift alert: Age PSI "), "\(note)")
        #expect(note.contains("(last \(report.rows) rows of churn@v1)"), "\(note)")
        let response = try #require(monitor.response(for: model))
        #expect(response.rows == UInt64(report.rows) && response.minimumRows == 500)
        #expect(response.columns.map(\.name) == report.columns.map(\.name))
        #expect(response.columns.first { $0.name == "Age" }?.level == .alert)
        #expect(response.columns.first { $0.name == "Age" }?.psi == age.index)
    }

    @Test("a model without a baseline is not watched")
    func noBaseline() throws {
        var bundle = try TestData.model()
        bundle.baseline = nil
        let model = ServingModel(
            candidate: ModelCandidate(name: "old", version: "1", sha256: "x", source: "test", bundle: bundle),
            generation: 1, loadedAtMillis: 0)
        let monitor = DriftMonitor()
        let body = FastPathTests.body(0..<10, model: model)
        let response = try #require(FastPathTests.general(body, model))
        monitor.observe(model: model, request: body, response: response)
        monitor.drain()
        #expect(monitor.report == nil && monitor.healthNote == nil)
        #expect(monitor.response(for: model) == nil, "PredictorDrift answers notFound")
    }
}
