import Testing

@testable import ChurnML

@Suite("Lift, calibration and segments")
struct LiftCalibrationSegmentTests {
    @Test("deciles of 20 customers: counts, lift and gains by hand")
    func liftByHand() {
        // Scores 0.95, 0.90, …, 0.00 (already in rank order); churners at ranks 1, 2, 3, 5, 9, 14 (1-based).
        let scores = (0..<20).map { Float(19 - $0) * 0.05 }
        let churnRanks: Set<Int> = [1, 2, 3, 5, 9, 14]
        let labels = (0..<20).map { churnRanks.contains($0 + 1) ? Float(1) : 0 }
        // Shuffle the rows: the table must sort them itself.
        let permutation = [7, 3, 19, 0, 12, 5, 16, 1, 10, 14, 2, 18, 8, 11, 4, 17, 6, 13, 9, 15]
        let table = LiftTable.compute(labels: permutation.map { labels[$0] }, scores: permutation.map { scores[$0] })
        #expect(table.deciles.count == 10)
        #expect(table.deciles.map(\.rows) == Array(repeating: 2, count: 10))
        // Deciles hold ranks (1,2) (3,4) (5,6) (7,8) (9,10) (11,12) (13,14) …
        #expect(table.deciles.map(\.churners) == [2, 1, 1, 0, 1, 0, 1, 0, 0, 0])
        #expect(table.overallChurnRate == 0.3)
        #expect(abs(table.deciles[0].lift - 1.0 / 0.3) < 1e-12)
        #expect(abs(table.topDecileCapture - 2.0 / 6.0) < 1e-12)
        #expect(abs(table.deciles[2].cumulativeGain - 4.0 / 6.0) < 1e-12)
        #expect(table.deciles[9].cumulativeGain == 1)
        #expect(abs(table.deciles[0].maxProbability - 0.95) < 1e-6)
        #expect(abs(table.deciles[0].minProbability - 0.90) < 1e-6)
        #expect(abs(table.deciles[4].cumulativeShare - 0.5) < 1e-12)
    }

    @Test("fewer than ten rows: one group per row")
    func tinyLift() {
        let table = LiftTable.compute(labels: [1, 0, 0], scores: [0.2, 0.9, 0.5])
        #expect(table.deciles.map(\.churners) == [0, 0, 1])
        #expect(table.deciles.count == 3)
    }

    @Test("calibration bins: means and observed rates by hand; 1.0 falls in the last bin")
    func calibrationByHand() {
        let scores: [Float] = [0.05, 0.15, 0.12, 0.55, 0.58, 1.0, 0.95]
        let labels: [Float] = [0, 0, 1, 1, 0, 1, 1]
        let curve = CalibrationCurve.compute(labels: labels, scores: scores)
        #expect(curve.bins.map(\.lower) == [0, 0.1, 0.5, 0.9])
        #expect(curve.bins.map(\.rows) == [1, 2, 2, 2])
        #expect(curve.bins.map(\.observed) == [0, 0.5, 0.5, 1])
        #expect(abs(curve.bins[1].meanPredicted - Double(Float(0.15) + Float(0.12)) / 2) < 1e-7)
        // ECE = Σ n_b/n · |observed − mean|.
        let means = [0.05, (0.15 + 0.12) / 2, (0.55 + 0.58) / 2, (1.0 + 0.95) / 2]
        let expected =
            (1 * abs(0 - means[0]) + 2 * abs(0.5 - means[1]) + 2 * abs(0.5 - means[2]) + 2 * abs(1 - means[3])) / 7
        #expect(abs(curve.expectedCalibrationError - expected) < 1e-6)
    }

    @Test("segments: levels of a category, values of a small numeric, quintile ranges of a wide one, missing last")
    func segmentsByHand() throws {
        var rows: [[String?]] = []
        for i in 0..<20 {
            rows.append([
                ["France", "Spain"][i % 2], String(i % 3), i == 19 ? nil : String(i * 10), i % 4 == 0 ? "1" : "0",
            ])
        }
        let table = try Table(source: "t", columnNames: ["Country", "Products", "Balance", "Exited"], rows: rows)
        let schema = Schema(
            columns: [
                ColumnSchema(name: "Country", role: .categorical), ColumnSchema(name: "Products", role: .numeric),
                ColumnSchema(name: "Balance", role: .numeric), ColumnSchema(name: "Exited", role: .target),
            ], target: "Exited", positiveLabel: "1")
        let labels = (0..<20).map { $0 % 4 == 0 ? Float(1) : 0 }
        let scores = (0..<20).map { Float($0) / 20 }
        let segments = SegmentTable.compute(table: table, schema: schema, labels: labels, scores: scores)
        #expect(segments.groups.map(\.column) == ["Country", "Products", "Balance"])
        let country = segments.groups[0]
        #expect(country.segments.map(\.label) == ["France", "Spain"])
        // France = even rows (10), churners at 0, 4, 8, 12, 16 → 5; Spain = odd rows: none.
        #expect(country.segments.map(\.rows) == [10, 10])
        #expect(country.segments.map(\.churners) == [5, 0])
        #expect(
            abs(country.segments[0].meanProbability - Double((0..<10).map { Float($0 * 2) / 20 }.reduce(0, +)) / 10)
                < 1e-6)
        let products = segments.groups[1]
        #expect(products.kind == "levels")
        #expect(products.segments.map(\.label) == ["0", "1", "2"])
        #expect(products.segments.map(\.rows) == [7, 7, 6])
        let balance = segments.groups[2]
        #expect(balance.kind == "ranges")
        // 19 present values 0, 10, …, 180; cuts at sorted[Int(q·19)] = index 3, 7, 11, 15 → 30, 70, 110, 150.
        #expect(balance.segments.map(\.label) == ["≤ 30", "30 – 70", "70 – 110", "110 – 150", "> 150", "(missing)"])
        #expect(balance.segments.map(\.rows) == [4, 4, 4, 4, 3, 1])
        #expect(balance.segments.reduce(0) { $0 + $1.churners } == 5)
    }
}
