import Testing

@testable import Registry

@Suite("Query language: tokenizer and parser")
struct QueryParserTests {
    private func filter(_ text: String) throws -> QueryExpression? {
        try ModelQuery.parse(text).filter
    }

    private func test(_ field: QueryField, _ op: ComparisonOperator, _ value: QueryValue) -> QueryExpression {
        .comparison(Comparison(field: field, comparison: op, value: value))
    }

    /// The error `text` raises (nil when it parses).
    private func error(_ text: String) -> QueryError? {
        do {
            _ = try ModelQuery.parse(text)
            return nil
        } catch let error as QueryError {
            return error
        } catch {
            return QueryError("unexpected error type \(error)", column: -1)
        }
    }

    @Test("tokens carry their kind, text and column")
    func tokens() async throws {
        let tokens = try QueryTokenizer.tokenize("metrics.roc_auc>=0.86 AND (tags.k<>'it\\'s')")
        #expect(tokens.map(\.column) == [1, 16, 18, 23, 27, 28, 34, 36, 43, 44])
        #expect(tokens[0].kind == .identifier("metrics.roc_auc"))
        #expect(tokens[1].kind == .comparison(.greaterOrEqual))
        #expect(tokens[2].kind == .number(0.86))
        #expect(tokens[3].kind == .keyword(.and))
        #expect(tokens[6].kind == .comparison(.notEqual))
        #expect(tokens[7].kind == .string("it's"))
        #expect(tokens[9].kind == .end)
        let numbers = try QueryTokenizer.tokenize("-1 2.5e3 .5 +7")
        #expect(numbers.map(\.kind) == [.number(-1), .number(2500), .number(0.5), .number(7), .end])
    }

    @Test("every operator, with values typed by field")
    func operators() async throws {
        #expect(try filter("name = \"bank\"") == test(.name, .equal, .text("bank")))
        #expect(try filter("name == bank") == test(.name, .equal, .text("bank")))
        #expect(try filter("name != 'bank'") == test(.name, .notEqual, .text("bank")))
        #expect(try filter("name <> 'bank'") == test(.name, .notEqual, .text("bank")))
        #expect(try filter("version < 3") == test(.version, .less, .integer(3)))
        #expect(try filter("version <= 3") == test(.version, .lessOrEqual, .integer(3)))
        #expect(try filter("metrics.roc_auc > 0.5") == test(.metric("roc_auc"), .greater, .real(0.5)))
        #expect(try filter("metrics.f1 >= 1e-1") == test(.metric("f1"), .greaterOrEqual, .real(0.1)))
        #expect(try filter("name ~ \"ba*\"") == test(.name, .glob, .text("ba*")))
        #expect(try filter("tags.team ~ 'r?sk'") == test(.tag("team"), .glob, .text("r?sk")))
        #expect(try filter("tags.epochs = 100") == test(.tag("epochs"), .equal, .text("100")))
        #expect(try filter("alias = production") == test(.alias, .equal, .text("production")))
        #expect(try filter("dataset = \"AB12\"") == test(.dataset, .equal, .digestPrefix("ab12")))
        // 2026-01-01 is 20,454 days after the epoch (see SteppingClock); a date covers one day.
        #expect(
            try filter("created >= \"2026-01-01\"")
                == test(.created, .greaterOrEqual, .time(start: 1_767_225_600_000, length: 86_400_000)))
        // 14:03:00+01:00 is 13:03:00 UTC: 13 h 3 min = 46,980 s after midnight; a time to the second covers 1 s.
        #expect(
            try filter("created < '2026-01-01T14:03:00+01:00'")
                == test(.created, .less, .time(start: 1_767_225_600_000 + 46_980_000, length: 1000)))
        #expect(try filter("NAME = x") == test(.name, .equal, .text("x")))
    }

    @Test("and binds tighter than or, not tighter than and; parentheses override")
    func precedence() async throws {
        let a = test(.name, .equal, .text("a"))
        let b = test(.name, .equal, .text("b"))
        let c = test(.name, .equal, .text("c"))
        #expect(try filter("name = a or name = b and name = c") == .or(a, .and(b, c)))
        #expect(try filter("name = a and name = b or name = c") == .or(.and(a, b), c))
        #expect(try filter("(name = a or name = b) and name = c") == .and(.or(a, b), c))
        #expect(try filter("name = a and name = b and name = c") == .and(.and(a, b), c))
        #expect(try filter("not name = a and name = b") == .and(.not(a), b))
        #expect(try filter("not (name = a and name = b)") == .not(.and(a, b)))
        #expect(try filter("not not name = a") == .not(.not(a)))
        #expect(try filter("((name = a))") == a)
    }

    @Test("order by, limit and offset")
    func orderLimitOffset() async throws {
        let query = try ModelQuery.parse(
            "name = 'bank' order by metrics.roc_auc desc, created, version ASC limit 5 offset 10")
        #expect(
            query.ordering == [
                SortKey(field: .metric("roc_auc"), descending: true), SortKey(field: .created, descending: false),
                SortKey(field: .version, descending: false),
            ])
        #expect(query.limit == 5 && query.offset == 10)
        let empty = try ModelQuery.parse("   ")
        #expect(
            empty.filter == nil && empty.ordering.isEmpty && empty.limit == ModelQuery.defaultLimit && empty.offset == 0
        )
        let onlyOrder = try ModelQuery.parse("order by name desc limit 0")
        #expect(onlyOrder.filter == nil && onlyOrder.limit == 0)
    }

    @Test("errors name the unexpected token and its column")
    func errors() async throws {
        // Columns counted by hand (1-based).
        let cases: [(String, Int, String)] = [
            ("name = \"bank\" and or x", 19, "unexpected \"or\""),
            ("name = ", 8, "end of query"),
            ("foo = 1", 1, "unknown field \"foo\""),
            ("metrics.auc ~ \"x\"", 13, "does not support \"~\""),
            ("version = \"x\"", 11, "integer"),
            ("version = 1.5", 11, "integer"),
            ("metrics.auc > 'high'", 15, "number"),
            ("name = \"bank", 8, "unterminated string"),
            ("(name = \"a\"", 12, "expected \")\""),
            ("name = \"a\" limit 10001", 18, "larger than the maximum"),
            ("name = \"a\" limit -1", 18, "whole number"),
            ("name = \"a\" extra", 12, "unexpected \"extra\""),
            ("name = \"a\" order name", 18, "\"by\""),
            ("created > \"yesterday\"", 11, "ISO 8601"),
            ("created > \"2023-02-29\"", 11, "ISO 8601"),
            ("dataset = \"xyz\"", 11, "hex prefix"),
            ("dataset > \"ab\"", 9, "does not support \">\""),
            ("alias < \"x\"", 7, "does not support \"<\""),
            ("name = \"a\" & name = \"b\"", 12, "unexpected character \"&\""),
            ("name \"a\"", 6, "comparison operator"),
            ("order by alias", 10, "cannot order by alias"),
            ("tags. = 1", 1, "invalid key"),
            ("version = 12abc", 13, "after number"),
            ("", 0, ""),
        ]
        for (text, column, fragment) in cases {
            let found = error(text)
            if fragment.isEmpty {
                #expect(found == nil, "\(text)")
                continue
            }
            #expect(found?.column == column, "\(text): \(found?.description ?? "parsed")")
            #expect(found?.message.contains(fragment) == true, "\(text): \(found?.description ?? "parsed")")
        }
        #expect(
            error("name = \"bank\" and or x")?.description
                == "query error at column 19: unexpected \"or\", expected a field name (name, version, created, dataset, alias, tags.KEY, metrics.KEY) or \"(\""
        )
    }

    @Test("hostile input is bounded: deep nesting, long text, many comparisons")
    func bounds() async throws {
        let deep = String(repeating: "(", count: 100) + "name = a" + String(repeating: ")", count: 100)
        #expect(error(deep)?.message.contains("nests deeper") == true)
        let nots = String(repeating: "not ", count: 100) + "name = a"
        #expect(error(nots)?.message.contains("nests deeper") == true)
        #expect(error(String(repeating: " ", count: 5000))?.message.contains("longer than") == true)
        let many = Array(repeating: "version=1", count: 300).joined(separator: " or ")
        #expect(many.count < QueryTokenizer.maximumLength)
        #expect(error(many)?.message.contains("more than 256 comparisons") == true)
        let fine = String(repeating: "(", count: 60) + "name = a" + String(repeating: ")", count: 60)
        #expect(error(fine) == nil)
    }
}
