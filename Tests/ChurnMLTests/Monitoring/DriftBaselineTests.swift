import Foundation
import Testing

@testable import ChurnML

/// Training distributions and the population stability index, against hand-worked values.
@Suite("Drift baseline and PSI")
struct DriftBaselineTests {
    @Test("numbers 1…20 and a missing one: nine decile edges 2, 4 … 18, two values a bin")
    func numberDeciles() {
        let values: [Double?] = (1...20).map { Double($0) } + [nil]
        let distribution = ColumnDistribution.numbers("Age", values)
        #expect(distribution.edges == [2, 4, 6, 8, 10, 12, 14, 16, 18])
        #expect(distribution.categories == nil)
        let expected: [Double] = Array(repeating: 2.0 / 21, count: 10) + [1.0 / 21]
        #expect(distribution.shares == expected)
        #expect(distribution.bin(2) == 0 && distribution.bin(2.5) == 1 && distribution.bin(18) == 8)
        #expect(distribution.bin(19) == 9 && distribution.bin(1e9) == 9 && distribution.bin(-5) == 0)
        #expect(distribution.bin(Double?.none) == 10 && distribution.bin(Double.nan) == 10)
        #expect(distribution.bin("7") == 3 && distribution.bin("seven") == 10)
    }

    @Test("a column of few values gets few bins: repeated cut points merge, no bin is empty by construction")
    func fewDistinctNumbers() {
        let distribution = ColumnDistribution.numbers("HasCrCard", [0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        #expect(distribution.edges == [0])
        #expect(distribution.shares == [0.4, 0.6, 0])
        let constant = ColumnDistribution.numbers("Flag", [3, 3, 3])
        #expect(constant.edges == [] && constant.shares == [1, 0])
    }

    @Test("categories by frequency, ties in first-seen order; unseen values go to other, numbers by their text")
    func categories() {
        let distribution = ColumnDistribution.categories("Geography", ["b", "a", "b", nil, "c", "a", "b", "a"])
        #expect(distribution.categories == ["b", "a", "c"])
        let expected: [Double] = [3.0 / 8, 3.0 / 8, 1.0 / 8, 0, 1.0 / 8]
        #expect(distribution.shares == expected)
        #expect(distribution.bin("c") == 2 && distribution.bin("Mars") == 3 && distribution.bin(String?.none) == 4)
        let numeric = ColumnDistribution.categories("NumOfProducts", ["1", "2", "1"])
        #expect(numeric.bin(1.0) == 0 && numeric.bin(2.0) == 1 && numeric.bin(2.5) == 2)
    }

    @Test("more than 30 categories: the 30 most frequent get bins, the rest share other")
    func manyCategories() {
        let values: [String?] = (0..<40).flatMap { index in Array(repeating: "c\(index)", count: 40 - index) }
        let distribution = ColumnDistribution.categories("City", values)
        #expect(distribution.categories == (0..<30).map { "c\($0)" })
        let otherRows = (30..<40).reduce(0) { $0 + 40 - $1 }  // 10 + 9 + … + 1 = 55
        #expect(abs(distribution.shares[30] - Double(otherRows) / Double(values.count)) < 1e-15)
    }

    @Test("PSI against hand-worked sums; bands at 0.1 and 0.25")
    func stabilityIndex() throws {
        // (0.75 − 0.5)·ln(1.5) + (0.25 − 0.5)·ln(0.5) = 0.25·(ln 1.5 + ln 2) = 0.25·ln 3
        let shifted = try #require(PopulationStability.index(expected: [0.5, 0.5], counts: [75, 25]))
        #expect(abs(shifted - 0.274_653_072_167_027_1) < 1e-12)
        #expect(PopulationStability.level(shifted) == .alert)
        #expect(PopulationStability.index(expected: [0.2, 0.3, 0.5], counts: [2, 3, 5]) == 0)
        // An empty training bin counts as 0.0001: (0.5 − 1)·ln 0.5 + (0.5 − 0.0001)·ln 5000
        let floored = try #require(PopulationStability.index(expected: [1, 0], counts: [50, 50]))
        #expect(abs(floored - (0.5 * log(2.0) + 0.4999 * log(5000.0))) < 1e-12)
        #expect(PopulationStability.index(expected: [0.5, 0.5], counts: [0, 0]) == nil)
        #expect(PopulationStability.index(expected: [0.5, 0.5], counts: [1]) == nil)
        #expect(PopulationStability.level(0.0999) == .stable && PopulationStability.level(0.1) == .warning)
        #expect(PopulationStability.level(0.2499) == .warning && PopulationStability.level(0.25) == .alert)
    }

    @Test("training stores a baseline of every input column and the score; a bundle without one still loads")
    func bundleBaseline() throws {
        let bytes = SyntheticBankData.csv(rows: 500, seed: 3)
        let table = try CSVReader.parse(bytes, source: "synthetic.csv")
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 2
        let bundle = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "x", source: "synthetic.csv"), created: "2026-01-01T00:00:00Z"
        ).bundle
        let baseline = try #require(bundle.baseline)
        #expect(baseline.columns.map(\.name) == schema.featureColumns.map(\.name))
        #expect(baseline.rows == bundle.lineage.trainRows)
        for column in baseline.columns + [baseline.score] {
            #expect(abs(column.shares.reduce(0, +) - 1) < 1e-9, "\(column.name)")
        }
        let age = try #require(baseline.columns.first { $0.name == "Age" })
        #expect(age.edges?.count == 9)
        let geography = try #require(baseline.columns.first { $0.name == "Geography" })
        #expect(Set(geography.categories ?? []) == ["France", "Germany", "Spain"])
        #expect(try BundleCodec.decode(try BundleCodec.encode(bundle)).baseline == baseline)

        var old = bundle
        old.baseline = nil
        let file = try SafetensorsFile(parsing: try BundleCodec.encode(old))
        #expect(file.metadata["baseline"] == nil)
        #expect(try BundleCodec.decode(try BundleCodec.encode(old)).baseline == nil)
    }
}
