/// A typed comparison value, checked against its field by the parser.
public enum QueryValue: Sendable, Equatable {
    /// A string (names, tags, aliases, glob patterns).
    case text(String)
    /// An integer (versions).
    case integer(Int64)
    /// A number (metrics).
    case real(Double)
    /// A time span from an ISO 8601 date or date-time (`created`): the first millisecond and how
    /// many milliseconds the written precision covers.
    case time(start: Int64, length: Int64)
    /// A lower-case hex digest prefix (`dataset`).
    case digestPrefix(String)
}

/// One `field operator value` test.
public struct Comparison: Sendable, Equatable {
    /// The field compared.
    public var field: QueryField
    /// The operator.
    public var comparison: ComparisonOperator
    /// The value, already converted to the field's type.
    public var value: QueryValue

    /// Creates a comparison.
    public init(field: QueryField, comparison: ComparisonOperator, value: QueryValue) {
        self.field = field
        self.comparison = comparison
        self.value = value
    }
}

/// A boolean filter over model versions. A comparison on a tag or metric the version does not
/// have is false (whatever the operator); `alias != "x"` is true when no alias `x` points at it.
public indirect enum QueryExpression: Sendable, Equatable {
    /// A single test.
    case comparison(Comparison)
    /// Both hold.
    case and(QueryExpression, QueryExpression)
    /// Either holds.
    case or(QueryExpression, QueryExpression)
    /// The operand does not hold.
    case not(QueryExpression)
}

/// One `order by` key.
public struct SortKey: Sendable, Equatable {
    /// The field to order by.
    public var field: QueryField
    /// True for `desc`.
    public var descending: Bool

    /// Creates a sort key.
    public init(field: QueryField, descending: Bool) {
        self.field = field
        self.descending = descending
    }
}

/// A parsed model search: filter, ordering and paging.
public struct ModelQuery: Sendable, Equatable {
    /// Results when no `limit` is given.
    public static let defaultLimit = 100
    /// Largest `limit` accepted.
    public static let maximumLimit = 10_000

    /// The filter; nil matches every version.
    public var filter: QueryExpression?
    /// Sort keys, most significant first; empty means `name asc, version asc`. Versions missing a
    /// sorted tag or metric come last; ties are broken by publication order, in the direction of
    /// the first key.
    public var ordering: [SortKey]
    /// Maximum number of results.
    public var limit: Int
    /// Results to skip.
    public var offset: Int

    /// Creates a query.
    public init(filter: QueryExpression? = nil, ordering: [SortKey] = [], limit: Int = defaultLimit, offset: Int = 0) {
        self.filter = filter
        self.ordering = ordering
        self.limit = limit
        self.offset = offset
    }

    /// Parses query text, e.g. `name = "bank" and metrics.roc_auc >= 0.86 order by created desc limit 5`.
    public static func parse(_ text: String) throws -> ModelQuery {
        var parser = try QueryParser(text)
        return try parser.parseQuery()
    }
}
