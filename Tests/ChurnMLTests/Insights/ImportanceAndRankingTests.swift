import LinearAlgebra
import Testing

@testable import ChurnML

@Suite("Permutation importance, customer ranking and bundles with insights")
struct ImportanceAndRankingTests {
    /// `rows` customers with three numeric columns: `Decides` fixes the label, `Helps` shifts it a
    /// little, `Noise` has nothing to do with it.
    static func constructed(rows: Int, seed: UInt64) throws -> (Table, Schema) {
        var generator = SeededGenerator(seed: seed)
        var lines: [[String?]] = []
        for _ in 0..<rows {
            let decides = generator.nextUnitDouble() * 2 - 1
            let helps = generator.nextUnitDouble() * 2 - 1
            let noise = generator.nextUnitDouble() * 2 - 1
            let label = decides + 0.3 * helps > 0 ? "1" : "0"
            lines.append([String(decides), String(helps), String(noise), label])
        }
        let table = try Table(source: "constructed", columnNames: ["Decides", "Helps", "Noise", "Exited"], rows: lines)
        let schema = Schema(
            columns: ["Decides", "Helps", "Noise"].map { ColumnSchema(name: $0, role: .numeric) } + [
                ColumnSchema(name: "Exited", role: .target)
            ],
            target: "Exited", positiveLabel: "1")
        return (table, schema)
    }

    @Test("a hand-set logistic model: the deciding column first, a zero-weight column's drop exactly 0")
    func handSetModel() throws {
        let (table, schema) = try Self.constructed(rows: 400, seed: 3)
        let pipeline = try FeaturePipeline.fit(table, schema: schema)
        // p = σ(4·Decides' + 1·Helps' + 0·Noise') on the scaled features.
        let network = try DenseNetwork(layerSizes: [3, 1], parameters: [4, 1, 0, 0])
        let features = try pipeline.transform(table).features
        let labels = try SchemaInference.labels(of: table, schema: schema)
        let importance = try PermutationImportance.compute(
            network: network, pipeline: pipeline, features: features, labels: labels, repeats: 4, seed: 11)
        #expect(importance.columns.map(\.column) == ["Decides", "Helps", "Noise"])
        let noise = try #require(importance.columns.last)
        #expect(noise.drops == [0, 0, 0, 0])
        #expect(importance.columns[0].mean > 0.2)
        #expect(importance.columns.allSatisfy { $0.drops.count == 4 })
        // Baseline by a naive pair count.
        let scores = try network.predictProbabilities(features)
        var wins = 0.0
        var pairs = 0.0
        for i in labels.indices where labels[i] == 1 {
            for j in labels.indices where labels[j] == 0 {
                pairs += 1
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
            }
        }
        #expect(abs(importance.baselineAUC - wins / pairs) < 1e-12)
        // Mean and population spread from the drops.
        let first = importance.columns[0]
        let mean = first.drops.reduce(0, +) / 4
        #expect(abs(first.mean - mean) < 1e-12)
        #expect(
            abs(first.spread - (first.drops.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()) < 1e-12)
        // Seeded: the same seed gives the same drops, another seed other ones.
        let again = try PermutationImportance.compute(
            network: network, pipeline: pipeline, features: features, labels: labels, repeats: 4, seed: 11)
        #expect(again == importance)
        let other = try PermutationImportance.compute(
            network: network, pipeline: pipeline, features: features, labels: labels, repeats: 4, seed: 12)
        #expect(other.columns[0].drops != importance.columns[0].drops)
    }

    @Test("a trained model ranks the deciding column first and the noise column last; the bundle keeps it")
    func trainedModel() throws {
        let (table, schema) = try Self.constructed(rows: 2000, seed: 5)
        var configuration = TrainingConfiguration()
        configuration.epochs = 30
        configuration.validationSplit = 0.2
        configuration.thresholdPolicy = .f1
        let bundle = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "x", source: "constructed"), created: "2026-01-01T00:00:00Z"
        ).bundle
        let importance = try #require(bundle.insights?.importance)
        #expect(importance.columns.map(\.column) == ["Decides", "Helps", "Noise"])
        #expect(abs(importance.columns[2].mean) < 0.01)
        #expect(importance.rows == bundle.lineage.testRows)
        let thresholds = try #require(bundle.thresholds)
        #expect(thresholds.selectedOn == "validation")
        #expect(thresholds.selectionRows == bundle.lineage.validationRows)
        #expect(bundle.threshold == thresholds.f1)
        #expect(bundle.metrics?.threshold == thresholds.f1)
        // The bundle round-trips with its insights and thresholds.
        let decoded = try BundleCodec.decode(try BundleCodec.encode(bundle))
        #expect(decoded == bundle)
    }

    @Test("fixed policy keeps the given threshold and still records the F1 and profit ones")
    func fixedPolicy() throws {
        let (table, schema) = try Self.constructed(rows: 600, seed: 9)
        var configuration = TrainingConfiguration()
        configuration.epochs = 5
        configuration.threshold = 0.3
        let bundle = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "x", source: "constructed"), created: "2026-01-01T00:00:00Z"
        ).bundle
        #expect(bundle.threshold == 0.3)
        let thresholds = try #require(bundle.thresholds)
        #expect(thresholds.policy == .fixed(0.3))
        #expect(thresholds.selectedOn == "training")
        #expect(thresholds.f1 > 0 && thresholds.f1 < 1 && thresholds.profit > 0 && thresholds.profit < 1)
        #expect(bundle.insights?.rows == bundle.lineage.testRows)
    }

    @Test("ranking: probabilities and factors equal predict/explain, order by expected value, summary by a naive loop")
    func ranking() throws {
        let table = try CSVReader.parse(SyntheticBankData.csv(rows: 3000, seed: 4), source: "synthetic.csv")
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 3
        let bundle = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "x", source: "synthetic.csv"), created: "2026-01-01T00:00:00Z"
        ).bundle
        let economics = RetentionEconomics(offerCost: 50, customerValue: 400, saveRate: 0.5)
        let balance = try #require(table.column(named: "Balance"))
        guard case .numeric(let balances) = balance else {
            Issue.record("Balance is not numeric")
            return
        }
        let values = balances.map { $0 ?? .nan }
        let ranking = try bundle.rank(table, economics: economics, customerValues: values, top: 3, threads: 2)
        let (predictions, factors) = try bundle.explain(table, top: 3)
        #expect(ranking.probabilities == predictions.probabilities)
        for row in stride(from: 0, to: table.rowCount, by: 97) {
            for rank in 0..<3 {
                let index = Int(ranking.factorIndices[row * 3 + rank])
                #expect(ranking.factorColumns[index] == factors[row][rank].column)
                #expect(ranking.factorContributions[row * 3 + rank] == factors[row][rank].contribution)
            }
        }
        var targeted = 0
        var profit = 0.0
        var reached = 0.0
        for row in 0..<table.rowCount {
            let value = values[row].isNaN ? 400 : values[row]
            let expected = Double(predictions.probabilities[row]) * 0.5 * value - 50
            #expect(abs(ranking.expectedValues[row] - expected) < 1e-9)
            if expected > 0 {
                targeted += 1
                profit += expected
                reached += Double(predictions.probabilities[row])
            }
        }
        #expect(ranking.summary.targeted == targeted)
        #expect(abs(ranking.summary.expectedProfit - profit) < 1e-6 * max(1, profit))
        #expect(abs(ranking.summary.expectedSaved - reached * 0.5) < 1e-6 * max(1, reached))
        #expect(Set(ranking.order) == Set(0..<table.rowCount))
        #expect(
            zip(ranking.order, ranking.order.dropFirst()).allSatisfy {
                ranking.expectedValues[$0] >= ranking.expectedValues[$1]
            })
        // One thread gives the same numbers.
        let single = try bundle.rank(table, economics: economics, customerValues: values, top: 3, threads: 1)
        #expect(single.factorContributions == ranking.factorContributions)
        #expect(single.order == ranking.order)

        // The CSV: header, best prospect first, every customer once, parseable by our own reader.
        let csv = RankedCustomersCSV.bytes(ranking, table: table, schema: bundle.schema, threshold: bundle.threshold)
        let parsed = try CSVReader.parse(csv, source: "ranked.csv")
        #expect(
            parsed.columnNames == [
                "rank", "RowNumber", "CustomerId", "Surname", "churn_probability", "risk_band", "expected_value",
                "factor_1", "factor_2", "factor_3",
            ])
        #expect(parsed.rowCount == table.rowCount)
        let best = try #require(ranking.order.first)
        #expect(
            parsed.displayValue(row: 0, column: 1)
                == table.displayValue(row: best, column: try #require(table.columnIndex(named: "RowNumber"))))
        // The byte-level writer says exactly what FactorPhrase says, for every factor of the first ranks.
        for rank in 0..<200 {
            let row = ranking.order[rank]
            for slot in 0..<3 {
                let factor = factors[row][slot]
                let column = try #require(table.columnIndex(named: factor.column))
                let expected = FactorPhrase.phrase(
                    column: factor.column, value: table.displayValue(row: row, column: column),
                    contribution: factor.contribution)
                #expect(
                    parsed.displayValue(row: rank, column: 7 + slot) == expected, "rank \(rank + 1) factor \(slot + 1)")
            }
            #expect(parsed.displayValue(row: rank, column: 0) == String(rank + 1))
        }
        // Batches smaller than the file give the same bytes as one batch.
        var batched: [UInt8] = []
        RankedCustomersCSV.write(
            ranking, table: table, schema: bundle.schema, threshold: bundle.threshold, threads: 2, batchRows: 700
        ) {
            batched += $0
        }
        #expect(batched == csv)
    }

    @Test("fixed-decimal and quoted CSV output")
    func byteSinkFormatting() {
        var sink = ByteSink(capacity: 64)
        sink.append(fixed: -12.5, digits: 2)
        sink.append(0x20)
        sink.append(fixed: 0.7312044, digits: 6)
        sink.append(0x20)
        sink.append(fixed: -0.0000001, digits: 6)
        sink.append(0x20)
        sink.append(fixed: 1234, digits: 0)
        sink.append(0x20)
        sink.append(field: "O\"Brien, Jr")
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "-12.50 0.731204 0.000000 1234 \"O\"\"Brien, Jr\"")
        #expect(
            FactorPhrase.phrase(column: "Age", value: "62", contribution: 0.1834)
                == "Age 62 raises churn risk by 18.3 points")
        #expect(
            FactorPhrase.phrase(column: "Balance", value: "", contribution: -0.05)
                == "Balance (missing) lowers churn risk by 5.0 points")
        #expect(
            FactorPhrase.phrase(column: "Tenure", value: "3", contribution: 0.0001)
                == "Tenure 3 makes almost no difference")
    }
}
