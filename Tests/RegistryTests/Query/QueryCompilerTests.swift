import Testing

@testable import Registry

@Suite("Query language: compiler")
struct QueryCompilerTests {
    @Test("values are bound, never spliced into the SQL")
    func boundValues() async throws {
        let hostile = "x' OR 1=1; DROP TABLE model_versions; --"
        let compiled = QueryCompiler.compile(
            try ModelQuery.parse("name = \"x' OR 1=1; DROP TABLE model_versions; --\" or tags.k ~ 'a\"b' limit 3"))
        #expect(!compiled.sql.contains("1=1"))
        #expect(!compiled.sql.contains("DROP"))
        #expect(!compiled.sql.contains("a\"b"))
        #expect(compiled.arguments == [.text(hostile), .text("k"), .text("a\"b"), .integer(3), .integer(0)])
        // One placeholder per argument.
        #expect(compiled.sql.filter { $0 == "?" }.count == compiled.arguments.count)
    }

    @Test("a metric filter ordered by the same metric walks the metric index (inner join)")
    func metricFastPath() async throws {
        let compiled = QueryCompiler.compile(
            try ModelQuery.parse("metrics.roc_auc >= 0.86 order by metrics.roc_auc desc limit 10"))
        #expect(compiled.sql.contains(" JOIN metrics o0 ON o0.version_id = v.id AND o0.key = ?"))
        #expect(!compiled.sql.contains("LEFT JOIN"))
        #expect(compiled.sql.contains("WHERE o0.value >= ?"))
        #expect(compiled.sql.hasSuffix("ORDER BY o0.value DESC, o0.version_id DESC LIMIT ? OFFSET ?"))
        #expect(compiled.arguments == [.text("roc_auc"), .real(0.86), .integer(10), .integer(0)])
    }

    @Test("a metric ordering without a top-level test on it is a left join with missing values last")
    func metricLeftJoin() async throws {
        let compiled = QueryCompiler.compile(
            try ModelQuery.parse("metrics.roc_auc >= 0.86 or name = a order by metrics.roc_auc asc"))
        #expect(compiled.sql.contains("LEFT JOIN metrics o0"))
        #expect(compiled.sql.contains("ORDER BY o0.value IS NULL, o0.value ASC, v.id ASC"))
        #expect(
            compiled.arguments == [
                .text("roc_auc"), .text("roc_auc"), .real(0.86), .text("a"), .integer(100), .integer(0),
            ])
        let plain = QueryCompiler.compile(try ModelQuery.parse(""))
        #expect(plain.sql.hasSuffix("ORDER BY v.name ASC, v.version ASC LIMIT ? OFFSET ?"))
        #expect(!plain.sql.contains("WHERE"))
    }
}
