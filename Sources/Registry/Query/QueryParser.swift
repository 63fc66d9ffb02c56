import Wire

/// Recursive-descent parser of the model query language.
///
/// ```
/// query      := [or-expr] [order by key {, key}] [limit INT] [offset INT] end
/// or-expr    := and-expr {or and-expr}
/// and-expr   := unary {and unary}
/// unary      := not unary | primary
/// primary    := ( or-expr ) | field op value
/// key        := field [asc | desc]
/// value      := STRING | NUMBER | WORD
/// ```
///
/// Values are checked against their field here (a version must be an integer, a metric a number,
/// `created` an ISO 8601 date, `dataset` a hex prefix), so every error carries a column.
/// Nesting is bounded so that hostile input cannot exhaust the stack.
struct QueryParser {
    /// Deepest nesting of parentheses and `not` accepted.
    static let maximumDepth = 64
    /// Most comparisons accepted in one query.
    static let maximumComparisons = 256

    private let tokens: [QueryToken]
    private var position = 0
    private var depth = 0
    private var comparisons = 0

    /// Tokenizes `text`.
    init(_ text: String) throws {
        tokens = try QueryTokenizer.tokenize(text)
    }

    /// Parses the whole query.
    mutating func parseQuery() throws -> ModelQuery {
        var query = ModelQuery()
        if !startsClause(current) {
            query.filter = try parseOr()
        }
        if case .keyword(.order) = current.kind {
            advance()
            try expect(.by, "\"by\" after \"order\"")
            query.ordering.append(try parseSortKey())
            while case .comma = current.kind {
                advance()
                query.ordering.append(try parseSortKey())
            }
        }
        if case .keyword(.limit) = current.kind {
            advance()
            query.limit = try parseCount(maximum: ModelQuery.maximumLimit, what: "limit")
        }
        if case .keyword(.offset) = current.kind {
            advance()
            query.offset = try parseCount(maximum: 1_000_000_000, what: "offset")
        }
        guard case .end = current.kind else {
            let expected =
                query.filter == nil && query.ordering.isEmpty
                ? "a comparison" : "\"and\", \"or\", \"order by\", \"limit\", \"offset\" or the end"
            throw unexpected(expected)
        }
        return query
    }

    private var current: QueryToken {
        tokens[min(position, tokens.count - 1)]
    }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private func startsClause(_ token: QueryToken) -> Bool {
        switch token.kind {
        case .keyword(.order), .keyword(.limit), .keyword(.offset), .end: return true
        default: return false
        }
    }

    private func unexpected(_ expected: String) -> QueryError {
        QueryError("unexpected \(current.quoted), expected \(expected)", column: current.column)
    }

    private mutating func expect(_ keyword: QueryKeyword, _ description: String) throws {
        guard case .keyword(keyword) = current.kind else { throw unexpected(description) }
        advance()
    }

    private mutating func parseOr() throws -> QueryExpression {
        var left = try parseAnd()
        while case .keyword(.or) = current.kind {
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws -> QueryExpression {
        var left = try parseUnary()
        while case .keyword(.and) = current.kind {
            advance()
            left = .and(left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws -> QueryExpression {
        if case .keyword(.not) = current.kind {
            try enter()
            advance()
            let operand = try parseUnary()
            depth -= 1
            return .not(operand)
        }
        return try parsePrimary()
    }

    private mutating func enter() throws {
        depth += 1
        guard depth <= QueryParser.maximumDepth else {
            throw QueryError("the query nests deeper than \(QueryParser.maximumDepth) levels", column: current.column)
        }
    }

    private mutating func parsePrimary() throws -> QueryExpression {
        if case .leftParenthesis = current.kind {
            try enter()
            advance()
            let inner = try parseOr()
            guard case .rightParenthesis = current.kind else { throw unexpected("\")\"") }
            advance()
            depth -= 1
            return inner
        }
        let fieldToken = current
        let field = try parseField(
            expected: "a field name (name, version, created, dataset, alias, tags.KEY, metrics.KEY) or \"(\"")
        let operatorToken = current
        guard case .comparison(let comparison) = operatorToken.kind else {
            throw unexpected("a comparison operator (=, !=, <, <=, >, >=, ~) after \(field)")
        }
        guard field.operators.contains(comparison) else {
            throw QueryError(
                "\(field) does not support \"\(comparison.rawValue)\"; it supports "
                    + field.operators.map { "\"\($0.rawValue)\"" }.joined(separator: ", "),
                column: operatorToken.column)
        }
        advance()
        let value = try parseValue(for: field)
        comparisons += 1
        guard comparisons <= QueryParser.maximumComparisons else {
            throw QueryError(
                "the query has more than \(QueryParser.maximumComparisons) comparisons", column: fieldToken.column)
        }
        return .comparison(Comparison(field: field, comparison: comparison, value: value))
    }

    private mutating func parseField(expected: String) throws -> QueryField {
        guard case .identifier(let word) = current.kind else { throw unexpected(expected) }
        switch QueryField.named(word) {
        case .field(let field):
            advance()
            return field
        case .problem(let reason):
            throw QueryError(reason, column: current.column)
        }
    }

    private mutating func parseValue(for field: QueryField) throws -> QueryValue {
        let token = current
        let text: String
        var number: Double?
        switch token.kind {
        case .string(let value): text = value
        case .identifier(let word): text = word
        case .number(let value):
            text = token.text
            number = value
        default:
            throw unexpected("a value for \(field)")
        }
        advance()
        func wrong(_ what: String) -> QueryError {
            QueryError("\(field) compares with \(what), not \(token.quoted)", column: token.column)
        }
        switch field {
        case .name, .alias, .tag:
            return .text(text)
        case .version:
            guard let number, number.rounded() == number, abs(number) < 1e15 else { throw wrong("an integer") }
            return .integer(Int64(number))
        case .metric:
            guard let number else { throw wrong("a number") }
            return .real(number)
        case .created:
            guard number == nil, let span = Timestamp.parse(text) else {
                throw wrong("an ISO 8601 date or date-time in quotes (\"2026-11-25\" or \"2026-11-25T14:03:00Z\")")
            }
            return .time(start: span.start, length: span.length)
        case .dataset:
            guard let prefix = try? NameRules.normalizedPrefix(text, minimumLength: 1) else {
                throw wrong("a SHA-256 hex prefix in quotes")
            }
            return .digestPrefix(prefix)
        }
    }

    private mutating func parseSortKey() throws -> SortKey {
        let token = current
        let field = try parseField(expected: "a field to order by")
        guard field.isSortable else {
            throw QueryError("cannot order by \(field)", column: token.column)
        }
        var descending = false
        if case .keyword(.desc) = current.kind {
            descending = true
            advance()
        } else if case .keyword(.asc) = current.kind {
            advance()
        }
        return SortKey(field: field, descending: descending)
    }

    private mutating func parseCount(maximum: Int, what: String) throws -> Int {
        let token = current
        guard case .number(let value) = token.kind, value.rounded() == value, value >= 0 else {
            throw unexpected("a whole number after \"\(what)\"")
        }
        guard value <= Double(maximum) else {
            throw QueryError("\(what) \(token.text) is larger than the maximum \(maximum)", column: token.column)
        }
        advance()
        return Int(value)
    }
}
