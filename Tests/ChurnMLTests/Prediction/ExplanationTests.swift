import LinearAlgebra
import Testing

@testable import ChurnML

@Suite("Explanations")
struct ExplanationTests {
    /// A small trained bundle on synthetic data.
    private func bundle() throws -> (ModelBundle, Table) {
        let table = try CSVReader.parse(SyntheticBankData.csv(rows: 800, seed: 21), source: "synthetic.csv")
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 5
        let bundle = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "x", source: "synthetic.csv"), created: "2026-01-01T00:00:00Z"
        ).bundle
        return (bundle, table)
    }

    @Test("factors are integrated gradients: they match a finite-difference path integral per column")
    func matchesFiniteDifferencePathIntegral() throws {
        let (bundle, table) = try bundle()
        let sample = table.rows([0, 1, 2, 3])
        let steps = 16
        let (predictions, factors) = try bundle.explain(sample, steps: steps)
        #expect(predictions.probabilities == (try bundle.predict(sample).probabilities))
        let encoded = try bundle.pipeline.transform(sample).features
        let width = encoded.columns
        for row in 0..<sample.rowCount {
            let x = Array(encoded.row(row))
            var offset = 0
            for encoder in bundle.pipeline.encoders {
                // Same midpoints as the implementation, gradients by central differences instead of backprop.
                var expected = 0.0
                for feature in offset..<(offset + encoder.outputWidth) {
                    var integral = 0.0
                    for step in 0..<steps {
                        let t = (Float(step) + 0.5) / Float(steps)
                        let h: Float = 1e-3
                        var plus = x.map { $0 * t }
                        var minus = plus
                        plus[feature] += h
                        minus[feature] -= h
                        let p = try bundle.network.predictProbabilities(
                            try Matrix(rows: 2, columns: width, values: plus + minus))
                        integral += Double((p[0] - p[1]) / (2 * h))
                    }
                    expected += integral / Double(steps) * Double(x[feature])
                }
                let factor = try #require(factors[row].first { $0.column == encoder.column })
                #expect(
                    abs(factor.contribution - expected) < 5e-3 + 0.02 * abs(expected),
                    "row \(row) column \(encoder.column): \(factor.contribution) vs \(expected)")
                offset += encoder.outputWidth
            }
            #expect(factors[row].count == bundle.pipeline.encoders.count)
            #expect(
                zip(factors[row], factors[row].dropFirst()).allSatisfy { abs($0.contribution) >= abs($1.contribution) })
        }
        #expect(try bundle.explain(sample, top: 3).factors.allSatisfy { $0.count == 3 })
    }

    @Test("with many steps the factors add up to p(x) − p(average customer)")
    func completeness() throws {
        let (bundle, table) = try bundle()
        let sample = table.rows(Array(0..<20))
        let (predictions, factors) = try bundle.explain(sample, steps: 256)
        let baseline = try bundle.network.predictProbabilities(
            try Matrix(rows: 1, columns: bundle.pipeline.featureCount))[0]
        for row in 0..<sample.rowCount {
            let total = factors[row].reduce(0) { $0 + $1.contribution }
            #expect(abs(total - Double(predictions.probabilities[row] - baseline)) < 0.01, "row \(row)")
        }
    }
}
