/// One lexical token of the query language, with the column where it starts.
public struct QueryToken: Sendable, Equatable {
    /// What kind of token it is.
    public enum Kind: Sendable, Equatable {
        /// A field name or bare word: letters, digits, `_`, `.` and `-`, starting with a letter or `_`
        /// (`name`, `metrics.roc_auc`, `tags.team`).
        case identifier(String)
        /// A reserved word (`and`, `or`, `not`, `order`, `by`, `asc`, `desc`, `limit`, `offset`),
        /// matched ignoring case.
        case keyword(QueryKeyword)
        /// A quoted string (`"…"` or `'…'`, with `\\`, `\"`, `\'`, `\n` and `\t` escapes), unescaped.
        case string(String)
        /// A decimal number (`42`, `-0.5`, `1e-3`).
        case number(Double)
        /// A comparison operator.
        case comparison(ComparisonOperator)
        /// `(`.
        case leftParenthesis
        /// `)`.
        case rightParenthesis
        /// `,`.
        case comma
        /// The end of the query.
        case end
    }

    /// What kind of token it is.
    public var kind: Kind
    /// The token as written in the query.
    public var text: String
    /// 1-based column of its first character.
    public var column: Int

    /// How the token is named in error messages: `"or"`, `end of query`, `string "abc"`.
    var quoted: String {
        switch kind {
        case .end: return "end of query"
        case .string: return "string \(text)"
        default: return "\"\(text)\""
        }
    }
}

/// The reserved words of the query language.
public enum QueryKeyword: String, Sendable, CaseIterable {
    /// Conjunction (binds tighter than `or`).
    case and
    /// Disjunction.
    case or
    /// Negation (binds tighter than `and`).
    case not
    /// Starts `order by`.
    case order
    /// Second word of `order by`.
    case by
    /// Ascending order (the default).
    case asc
    /// Descending order.
    case desc
    /// Maximum number of results.
    case limit
    /// Number of results to skip.
    case offset
}

/// The comparison operators.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    /// `=` (also written `==`).
    case equal = "="
    /// `!=` (also written `<>`).
    case notEqual = "!="
    /// `<`.
    case less = "<"
    /// `<=`.
    case lessOrEqual = "<="
    /// `>`.
    case greater = ">"
    /// `>=`.
    case greaterOrEqual = ">="
    /// `~`: glob match on strings (`*` any run, `?` one character, `[…]` a set; case-sensitive).
    case glob = "~"

    /// The SQL operator for the ordering and equality cases (`glob` maps to `GLOB`).
    var sql: String {
        switch self {
        case .equal: return "="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessOrEqual: return "<="
        case .greater: return ">"
        case .greaterOrEqual: return ">="
        case .glob: return "GLOB"
        }
    }
}
