import Testing

@testable import ChurnML

private func table(_ csv: String) throws -> Table {
    try CSVReader.parse(Array(csv.utf8), source: "test.csv")
}

private let sample = """
    id,age,plan,gender,left
    1,20,basic,F,0
    2,30,pro,M,1
    3,,basic,M,0
    4,50,team,,1
    5,40,basic,F,0
    """

@Suite("Feature pipeline")
struct FeaturePipelineTests {
    @Test("fits imputation, label encoding, one-hot and population scaling by hand")
    func handWorked() throws {
        let data = try table(sample)
        let schema = Schema(
            columns: [
                ColumnSchema(name: "id", role: .id), ColumnSchema(name: "age", role: .numeric),
                ColumnSchema(name: "plan", role: .categorical), ColumnSchema(name: "gender", role: .binary),
                ColumnSchema(name: "left", role: .target),
            ],
            target: "left", positiveLabel: "1")
        let pipeline = try FeaturePipeline.fit(data, schema: schema)
        #expect(pipeline.featureNames == ["age", "plan=basic", "plan=pro", "plan=team", "gender"])
        // age: present 20, 30, 50, 40 → median 35; imputed column 20,30,35,50,40 → mean 35,
        // population variance (225+25+0+225+25)/5 = 100 → scale 10.
        let age = pipeline.encoders[0]
        #expect(age.numericFill == 35)
        #expect(age.minimum == 20 && age.maximum == 50)
        #expect(abs(pipeline.means[0] - 35) < 1e-5)
        #expect(abs(pipeline.scales[0] - 10) < 1e-5)
        // gender: levels F=0, M=1; most frequent: F and M both twice → first in sort order, F.
        #expect(pipeline.encoders[2].levels == ["F", "M"])
        #expect(pipeline.encoders[2].fill == "F")
        // plan=basic is 1,0,1,0,1 → mean 0.6, std sqrt(0.24).
        #expect(abs(pipeline.means[1] - 0.6) < 1e-6)
        #expect(abs(pipeline.scales[1] - Float(0.24.squareRoot())) < 1e-6)

        let encoded = try pipeline.transform(data)
        #expect(encoded.features.rows == 5 && encoded.features.columns == 5)
        // Row 3 (missing age) gets the median, scaled to (35 − 35)/10 = 0.
        #expect(abs(encoded.features[2, 0]) < 1e-6)
        // Row 4 (missing gender) becomes F = 0; gender mean is (0+1+1+0+0)/5 = 0.4, std sqrt(0.24).
        #expect(abs(encoded.features[3, 4] - Float(-0.4 / 0.24.squareRoot())) < 1e-5)
    }

    @Test("unseen categories: zeros with a warning, or an error naming line, column and value")
    func unseen() throws {
        let schema = try SchemaInference.infer(
            try table(sample), target: "left", overrides: SchemaOverrides(columns: ["id": .id, "age": .numeric]))
        let pipeline = try FeaturePipeline.fit(try table(sample), schema: schema)
        let fresh = try table(
            """
            age,plan,gender
            33,enterprise,M
            """)
        let encoded = try pipeline.transform(fresh)
        #expect(encoded.warnings.count == 1)
        #expect(encoded.warnings.first?.column == "plan")
        #expect(encoded.warnings.first?.value == "enterprise")
        let basic = try #require(pipeline.featureNames.firstIndex(of: "plan=basic"))
        // All-zeros one-hot, scaled: (0 − mean) / scale.
        #expect(abs(encoded.features[0, basic] - (0 - pipeline.means[basic]) / pipeline.scales[basic]) < 1e-6)
        #expect(
            throws: DataError(
                "is not a category seen in training (known: basic, pro, team)",
                source: "test.csv", line: 2, column: "plan", value: "enterprise")
        ) {
            try pipeline.transform(fresh, policy: .error)
        }
    }

    @Test("a missing column or text in a numeric column is a clear error")
    func badRows() throws {
        let schema = try SchemaInference.infer(
            try table(sample), target: "left", overrides: SchemaOverrides(columns: ["id": .id, "age": .numeric]))
        let pipeline = try FeaturePipeline.fit(try table(sample), schema: schema)
        #expect(throws: DataError("is missing from the data", source: "test.csv", column: "gender")) {
            try pipeline.transform(try table("age,plan\n30,pro\n"))
        }
        #expect(throws: DataError("is not a number", source: "test.csv", line: 3, column: "age", value: "forty")) {
            try pipeline.transform(try table("age,plan,gender\n30,pro,M\nforty,pro,F\n"))
        }
    }
}
