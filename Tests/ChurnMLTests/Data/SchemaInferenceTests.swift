import Testing

@testable import ChurnML

@Suite("SchemaInference")
struct SchemaInferenceTests {
    typealias S = DataTestSupport

    /// Roles by column name.
    private func roles(_ schema: Schema) -> [String: ColumnRole] {
        Dictionary(uniqueKeysWithValues: schema.columns.map { ($0.name, $0.role) })
    }

    /// A CSV with header `names` and `rows` (fields already joined per row).
    private func csv(_ names: String, _ rows: [String]) throws -> Table {
        try S.table(names + "\n" + rows.joined(separator: "\n") + "\n")
    }

    @Test(
        "the Kaggle bank file gets the expected roles, positive label and 2037 positives",
        .enabled(if: DataTestSupport.hasRealDataset))
    func realFile() throws {
        let table = try CSVReader.read(contentsOf: S.realDatasetPath)
        #expect(table.rowCount == 10_000)
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        #expect(schema.target == "Exited")
        #expect(schema.positiveLabel == "1")
        let expected: [ColumnRole] = [
            .id, .id, .id, .numeric, .categorical, .binary, .numeric, .numeric, .numeric, .numeric, .binary, .binary,
            .numeric, .target,
        ]
        #expect(schema.columns.map(\.role) == expected)
        #expect(schema.columns.map(\.name) == table.columnNames)
        #expect(
            schema.featureColumns.map(\.name) == [
                "CreditScore", "Geography", "Gender", "Age", "Tenure", "Balance", "NumOfProducts", "HasCrCard",
                "IsActiveMember", "EstimatedSalary",
            ])
        let labels = try SchemaInference.labels(of: table, schema: schema)
        #expect(labels.count == 10_000)
        // The dataset README states 2037 churned customers.
        #expect(labels.reduce(0, +) == 2037)
    }

    // MARK: - Target selection

    @Test("target found by exact name (any case), preferring exact names over names containing churn")
    func targetByName() throws {
        for name in ["Exited", "CHURN", "churned", "Attrition", "is_churn", "has_churned", "Left", "target", "Label"] {
            let schema = try SchemaInference.infer(
                try csv("x,\(name)", ["1,0", "2,1", "3,0"]), target: nil, overrides: nil)
            #expect(schema.target == name)
        }
        let contains = try SchemaInference.infer(
            try csv("x,customer_churn_flag", ["1,0", "2,1"]), target: nil, overrides: nil)
        #expect(contains.target == "customer_churn_flag")
        let preferExact = try SchemaInference.infer(
            try csv("churn_reason,Churn", ["a,Yes", "b,No", "a,No"]), target: nil, overrides: nil)
        #expect(preferExact.target == "Churn")
    }

    @Test("target from the argument beats the schema file, which beats a role override, which beats names")
    func targetPrecedence() throws {
        let table = try csv("a,b,c,Exited", ["0,x,1,0", "1,y,0,1", "1,x,1,0"])
        #expect(try SchemaInference.infer(table, target: "a", overrides: SchemaOverrides(target: "c")).target == "a")
        #expect(try SchemaInference.infer(table, target: nil, overrides: SchemaOverrides(target: "c")).target == "c")
        let schema = try SchemaInference.infer(
            table, target: nil, overrides: SchemaOverrides(positive: "x", columns: ["b": .target]))
        #expect(schema.target == "b")
        #expect(schema.positiveLabel == "x")
        // Exited is then an ordinary 0/1 column.
        #expect(schema.role(of: "Exited") == .binary)
    }

    @Test("no target candidate asks for --target; several candidates too; an unknown name lists columns")
    func targetErrors() throws {
        let none = S.dataError {
            _ = try SchemaInference.infer(try csv("a,b", ["1,0", "2,1"]), target: nil, overrides: nil)
        }
        #expect(none?.source == "t.csv")
        #expect(none?.reason.contains("--target") == true)
        let several = S.dataError {
            _ = try SchemaInference.infer(try csv("target,label", ["1,0", "0,1"]), target: nil, overrides: nil)
        }
        #expect(several?.reason.contains("target, label") == true)
        #expect(several?.reason.contains("--target") == true)
        let unknown = S.dataError {
            _ = try SchemaInference.infer(try csv("a,b", ["1,0", "2,1"]), target: "Exited", overrides: nil)
        }
        #expect(unknown?.column == "Exited")
        #expect(unknown?.reason.contains("columns: a, b") == true)
        let twoRoles = S.dataError {
            _ = try SchemaInference.infer(
                try csv("a,b", ["1,0", "0,1"]), target: nil,
                overrides: SchemaOverrides(columns: ["a": .target, "b": .target], source: "s.json"))
        }
        #expect(twoRoles?.source == "s.json")
        #expect(twoRoles?.reason.contains("exactly one") == true)
    }

    @Test("the target must have exactly two values and none missing")
    func targetNotBinary() {
        let three = S.dataError {
            _ = try SchemaInference.infer(
                try csv("x,Exited", ["1,0", "2,1", "3,1", "4,2"]), target: nil, overrides: nil)
        }
        #expect(three?.line == 5)
        #expect(three?.column == "Exited")
        #expect(three?.value == "2")
        #expect(three?.reason.contains("exactly two") == true)
        let one = S.dataError {
            _ = try SchemaInference.infer(try csv("x,Exited", ["1,1", "2,1"]), target: nil, overrides: nil)
        }
        #expect(one?.reason.contains("only one value") == true)
        let missing = S.dataError {
            _ = try SchemaInference.infer(try csv("x,Exited", ["1,1", "2,", "3,0"]), target: nil, overrides: nil)
        }
        #expect(missing?.line == 3)
        #expect(missing?.reason.contains("missing") == true)
    }

    // MARK: - Positive label

    @Test("positive label found among the known churn words")
    func positiveAuto() throws {
        let cases: [(String, String, String)] = [
            ("0", "1", "1"), ("No", "Yes", "Yes"), ("False", "True", "True"), ("n", "Y", "Y"),
            ("Stayed", "Churned", "Churned"), ("stayed", "LEFT", "LEFT"), ("Existing", "Attrited", "Attrited"),
        ]
        for (negative, positive, expected) in cases {
            let table = try csv("x,Churn", ["1,\(negative)", "2,\(positive)", "3,\(negative)"])
            #expect(try SchemaInference.infer(table, target: nil, overrides: nil).positiveLabel == expected)
        }
        // Numbers are compared by value: 0.0 / 1.0 in the file still give "1".
        let decimal = try csv("x,Churn", ["1,0.0", "2,1.0"])
        #expect(try SchemaInference.infer(decimal, target: nil, overrides: nil).positiveLabel == "1")
    }

    @Test("positive label from the overrides, matched by value or ignoring case")
    func positiveOverride() throws {
        let text = try csv("x,Churn", ["1,Gone", "2,Here"])
        #expect(
            try SchemaInference.infer(text, target: nil, overrides: SchemaOverrides(positive: "gone")).positiveLabel
                == "Gone")
        let numbers = try csv("x,Churn", ["1,0", "2,1"])
        #expect(
            try SchemaInference.infer(numbers, target: nil, overrides: SchemaOverrides(positive: "0")).positiveLabel
                == "0")
        #expect(
            try SchemaInference.infer(numbers, target: nil, overrides: SchemaOverrides(positive: "1.0")).positiveLabel
                == "1")
        let wrong = S.dataError {
            _ = try SchemaInference.infer(
                numbers, target: nil, overrides: SchemaOverrides(positive: "2", source: "s.json"))
        }
        #expect(wrong?.source == "s.json")
        #expect(wrong?.value == "2")
        #expect(wrong?.reason.contains("\"0\" and \"1\"") == true)
    }

    @Test("undecidable positive label asks for \"positive\" in the schema file")
    func positiveUndecidable() {
        for pair in [("A", "B"), ("yes", "y")] {
            let error = S.dataError {
                _ = try SchemaInference.infer(
                    try csv("x,Churn", ["1,\(pair.0)", "2,\(pair.1)"]), target: nil, overrides: nil)
            }
            #expect(error?.column == "Churn")
            #expect(error?.reason.contains("\"positive\"") == true)
        }
    }

    // MARK: - Feature roles

    @Test("role rules on small tables")
    func roleRules() throws {
        // 6 rows. Columns: empty (all missing), const, bin_n (0/1 + missing), bin_t, int_id (distinct whole numbers,
        // not sorted), dec (distinct decimals), int_rep (whole numbers with repeats), txt_id (all distinct text),
        // cat (3 levels), down (decreasing whole numbers), churn.
        let table = try csv(
            "empty,const,bin_n,bin_t,int_id,dec,int_rep,txt_id,cat,down,churn",
            [
                ",5,0,M,17,1.5,3,a,x,60,0",
                "NA,5,1,F,3,2.5,3,b,y,50,1",
                ",5,,M,99,3.25,4,c,z,40,0",
                ",5,1,F,42,-1.5,5,d,x,30,0",
                ",5,0,F,8,0.5,4,e,y,20,1",
                ",5,1,M,23,7.75,9,f,y,10,0",
            ])
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        #expect(
            roles(schema) == [
                "empty": .id, "const": .id, "bin_n": .binary, "bin_t": .binary, "int_id": .id, "dec": .numeric,
                "int_rep": .numeric, "txt_id": .id, "cat": .categorical, "down": .id, "churn": .target,
            ])
        #expect(schema.featureColumns.map(\.name) == ["bin_n", "bin_t", "dec", "int_rep", "cat"])
    }

    @Test("high-cardinality text: > 100 levels, or > 50 levels that are > 5% of values, is id")
    func highCardinality() throws {
        func table(levels: Int, rows: Int) throws -> Table {
            // Level i % levels, so every level repeats once rows > levels; the target alternates.
            try csv("name,churn", (0..<rows).map { "n\($0 % levels),\($0 % 2)" })
        }
        func role(levels: Int, rows: Int) throws -> ColumnRole? {
            try SchemaInference.infer(try table(levels: levels, rows: rows), target: nil, overrides: nil).role(
                of: "name")
        }
        #expect(try role(levels: 101, rows: 10_000) == .id)  // > 100 levels regardless of share
        #expect(try role(levels: 100, rows: 10_000) == .categorical)  // 100 levels = 1% of rows
        #expect(try role(levels: 60, rows: 1_000) == .id)  // 60 > 50 and 6% > 5%
        #expect(try role(levels: 60, rows: 1_500) == .categorical)  // 60 > 50 but 4% <= 5%
        #expect(try role(levels: 50, rows: 200) == .categorical)  // 50 is not more than 50
    }

    @Test("nothing bank-specific: a telecom-style table with Yes/No target")
    func otherDataset() throws {
        let table = try csv(
            "customerID,gender,tenure,Contract,MonthlyCharges,TotalCharges,Churn",
            [
                "7590-VHVEG,Female,1,Month-to-month,29.85,29.85,No",
                "5575-GNVDE,Male,34,One year,56.95,1889.5,No",
                "3668-QPYBK,Male,2,Month-to-month,53.85,108.15,Yes",
                "7795-CFOCW,Male,45,One year,42.30, ,No",
                "9237-HQITU,Female,2,Two year,70.70,151.65,Yes",
            ])
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        #expect(schema.target == "Churn")
        #expect(schema.positiveLabel == "Yes")
        #expect(
            roles(schema) == [
                "customerID": .id, "gender": .binary, "tenure": .numeric, "Contract": .categorical,
                "MonthlyCharges": .numeric, "TotalCharges": .numeric, "Churn": .target,
            ])
    }

    // MARK: - Overrides

    @Test("role overrides win where they fit")
    func overridesApplied() throws {
        let table = try csv("n,cat,id,churn", ["1,a,10,0", "2,b,11,1", "4,a,12,0", "4,c,13,1"])
        let schema = try SchemaInference.infer(
            table, target: nil, overrides: SchemaOverrides(columns: ["n": .categorical, "cat": .id, "id": .numeric]))
        #expect(roles(schema) == ["n": .categorical, "cat": .id, "id": .numeric, "churn": .target])
    }

    @Test("bad overrides: unknown column, numeric on text, second target, binary on three values, target re-roled")
    func overrideErrors() throws {
        let table = try csv("n,cat,churn", ["1,a,0", "2,b,1", "3,c,0"])
        func failure(_ overrides: SchemaOverrides, target: String? = nil) -> DataError? {
            S.dataError { _ = try SchemaInference.infer(table, target: target, overrides: overrides) }
        }
        let unknown = failure(SchemaOverrides(columns: ["Surname": .id], source: "schema.json"))
        #expect(unknown?.column == "Surname")
        #expect(unknown?.source == "schema.json")
        #expect(unknown?.reason.contains("schema.json") == true)
        #expect(unknown?.reason.contains("t.csv") == true)
        let numericText = failure(SchemaOverrides(columns: ["cat": .numeric], source: "schema.json"))
        #expect(numericText?.source == "t.csv")
        #expect(numericText?.line == 2)
        #expect(numericText?.column == "cat")
        #expect(numericText?.value == "a")
        let secondTarget = failure(SchemaOverrides(columns: ["n": .target], source: "schema.json"), target: "churn")
        #expect(secondTarget?.column == "n")
        #expect(secondTarget?.reason.contains("exactly one target") == true)
        let binary = failure(SchemaOverrides(columns: ["cat": .binary], source: "schema.json"))
        #expect(binary?.column == "cat")
        #expect(binary?.reason.contains("binary") == true)
        let reroled = failure(SchemaOverrides(columns: ["churn": .numeric], source: "schema.json"))
        #expect(reroled?.column == "churn")
        #expect(reroled?.reason.contains("is the target") == true)
    }

    // MARK: - Labels

    @Test("labels: 1 for the positive value, by number or text ignoring case")
    func labels() throws {
        let numbers = try csv("x,Exited", ["1,0", "2,1", "3,1.0", "4,0"])
        let schema = try SchemaInference.infer(numbers, target: nil, overrides: nil)
        #expect(try SchemaInference.labels(of: numbers, schema: schema) == [0, 1, 1, 0])
        let text = try csv("x,Churn", ["1,No", "2,Yes", "3,yes"])
        let textSchema = Schema(columns: [], target: "Churn", positiveLabel: "Yes")
        #expect(try SchemaInference.labels(of: text, schema: textSchema) == [0, 1, 1])
    }

    @Test("labels: missing value, third value, or missing column are DataErrors with the line")
    func labelErrors() throws {
        let schema = Schema(columns: [], target: "Exited", positiveLabel: "1")
        let missing = S.dataError {
            _ = try SchemaInference.labels(of: try csv("x,Exited", ["1,0", "2,NA"]), schema: schema)
        }
        #expect(missing?.line == 3)
        #expect(missing?.column == "Exited")
        let third = S.dataError {
            _ = try SchemaInference.labels(of: try csv("x,Exited", ["1,0", "2,1", "3,2"]), schema: schema)
        }
        #expect(third?.line == 4)
        #expect(third?.value == "2")
        let thirdText = S.dataError {
            _ = try SchemaInference.labels(
                of: try csv("Exited", ["no", "yes", "maybe"]),
                schema: Schema(columns: [], target: "Exited", positiveLabel: "yes"))
        }
        #expect(thirdText?.line == 4)
        #expect(thirdText?.value == "maybe")
        let absent = S.dataError { _ = try SchemaInference.labels(of: try csv("x", ["1"]), schema: schema) }
        #expect(absent?.column == "Exited")
    }
}
