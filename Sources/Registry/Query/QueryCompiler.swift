/// Compiles a `ModelQuery` to one parameterised SQLite (or PostgreSQL, see `SQLDialect`) statement
/// over the registry index.
///
/// Tag, metric and alias tests at the top level of the filter (joined to it only by `and`) become
/// correlated `EXISTS` look-ups on their (version, key) primary keys, so that SQLite can walk an
/// ordered index and stop at the limit. Under `or` and `not` they become uncorrelated
/// `v.id IN (SELECT version_id …)` sub-queries, which SQLite evaluates once over the
/// `(key, value, version_id)` index (a multi-index OR) instead of once per version.
/// Ordering by a tag or metric joins it (`LEFT JOIN`, missing values last). When the first sort
/// key is a metric that the filter also tests at its top level (`metrics.auc >= 0.86 order by
/// metrics.auc desc`), the join becomes an inner join and those tests move onto the joined row,
/// so SQLite walks the `metrics (key, value, version_id)` index in order and stops at the limit.
public enum QueryCompiler {
    /// The selected columns, in the order `RegistryStore` reads them.
    static let columns =
        "v.id, v.name, v.version, v.bundle_sha256, v.bundle_size, v.dataset_sha256, v.created, v.description, v.threshold, v.hyperparameters, v.lineage"

    /// `columns` followed by each version's tag keys and values, metric keys and values (by key),
    /// and aliases (sorted), as arrays: PostgreSQL answers a read in one round trip, where SQLite,
    /// in process, reads the details with three more statements.
    static let columnsWithDetails =
        columns + """
            , ARRAY(SELECT dt.key FROM tags dt WHERE dt.version_id = v.id ORDER BY dt.key)\
            , ARRAY(SELECT dt.value FROM tags dt WHERE dt.version_id = v.id ORDER BY dt.key)\
            , ARRAY(SELECT dm.key FROM metrics dm WHERE dm.version_id = v.id ORDER BY dm.key)\
            , ARRAY(SELECT dm.value FROM metrics dm WHERE dm.version_id = v.id ORDER BY dm.key)\
            , ARRAY(SELECT da.alias FROM aliases da WHERE da.version_id = v.id ORDER BY da.alias)
            """

    /// The columns a statement in `dialect` selects.
    static func columns(_ dialect: SQLDialect) -> String {
        dialect == .postgres ? columnsWithDetails : columns
    }

    /// The statement for `query`, in `dialect` (SQLite unless told; its output does not depend on
    /// the PostgreSQL support). PostgreSQL statements number their placeholders `$1…$n`, in the
    /// order of `arguments`.
    public static func compile(_ query: ModelQuery, dialect: SQLDialect = .sqlite) -> CompiledQuery {
        var arguments: [SQLValue] = []
        var joins = ""
        var orderTerms: [String] = []
        var conjuncts = topLevelConjuncts(query.filter)

        // The fast path: first sort key is a metric that a top-level conjunct also tests.
        var innerMetric: String?
        if case .metric(let key)? = query.ordering.first?.field,
            conjuncts.contains(where: { isMetricTest($0, key: key) })
        {
            innerMetric = key
        }

        for (index, sortKey) in query.ordering.enumerated() {
            let direction = sortKey.descending ? "DESC" : "ASC"
            switch sortKey.field {
            case .name: orderTerms.append("v.name \(direction)")
            case .version: orderTerms.append("v.version \(direction)")
            case .created: orderTerms.append("v.created \(direction)")
            case .dataset: orderTerms.append("v.dataset_sha256 \(direction)")
            case .alias: continue
            case .metric(let key):
                let alias = "o\(index)"
                if index == 0, innerMetric == key {
                    joins += " JOIN metrics \(alias) ON \(alias).version_id = v.id AND \(alias).key = ?"
                    orderTerms.append("\(alias).value \(direction)")
                } else {
                    joins += " LEFT JOIN metrics \(alias) ON \(alias).version_id = v.id AND \(alias).key = ?"
                    orderTerms.append("\(alias).value IS NULL, \(alias).value \(direction)")
                }
                arguments.append(.text(key))
            case .tag(let key):
                let alias = "o\(index)"
                joins += " LEFT JOIN tags \(alias) ON \(alias).version_id = v.id AND \(alias).key = ?"
                orderTerms.append("\(alias).value IS NULL, \(alias).value \(direction)")
                arguments.append(.text(key))
            }
        }

        var conditions: [String] = []
        if let innerMetric {
            conjuncts = conjuncts.filter { conjunct in
                guard isMetricTest(conjunct, key: innerMetric), case .comparison(let test) = conjunct,
                    case .real(let value) = test.value
                else { return true }
                conditions.append("o0.value \(test.comparison.sql) ?")
                arguments.append(.real(value))
                return false
            }
        }
        for conjunct in conjuncts {
            if case .comparison(let test) = conjunct {
                conditions.append(comparison(test, correlated: true, dialect, &arguments))
            } else {
                conditions.append(condition(conjunct, dialect, &arguments))
            }
        }

        let firstDirection = query.ordering.first?.descending == true ? "DESC" : "ASC"
        if query.ordering.isEmpty {
            orderTerms = ["v.name ASC", "v.version ASC"]
        } else if innerMetric != nil {
            orderTerms.append("o0.version_id \(firstDirection)")
        } else {
            orderTerms.append("v.id \(firstDirection)")
        }

        var sql = "SELECT \(columns(dialect)) FROM model_versions v\(joins)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + orderTerms.joined(separator: ", ") + " LIMIT ? OFFSET ?"
        arguments.append(.integer(Int64(query.limit)))
        arguments.append(.integer(Int64(query.offset)))
        if dialect == .postgres { sql = numberedPlaceholders(sql) }
        return CompiledQuery(sql: sql, arguments: arguments)
    }

    /// The operands of the top-level chain of `and`s (the whole filter when it is not an `and`).
    static func topLevelConjuncts(_ expression: QueryExpression?) -> [QueryExpression] {
        guard let expression else { return [] }
        if case .and(let left, let right) = expression {
            return topLevelConjuncts(left) + topLevelConjuncts(right)
        }
        return [expression]
    }

    private static func isMetricTest(_ expression: QueryExpression, key: String) -> Bool {
        guard case .comparison(let test) = expression, test.field == .metric(key), case .real = test.value else {
            return false
        }
        return true
    }

    /// SQL for one filter expression below the top level (look-ups as `IN` sub-queries),
    /// appending its arguments.
    static func condition(_ expression: QueryExpression, _ dialect: SQLDialect, _ arguments: inout [SQLValue]) -> String
    {
        switch expression {
        case .and(let left, let right):
            let leftSQL = condition(left, dialect, &arguments)
            return "(\(leftSQL) AND \(condition(right, dialect, &arguments)))"
        case .or(let left, let right):
            let leftSQL = condition(left, dialect, &arguments)
            return "(\(leftSQL) OR \(condition(right, dialect, &arguments)))"
        case .not(let operand):
            return "NOT (\(condition(operand, dialect, &arguments)))"
        case .comparison(let test):
            return comparison(test, correlated: false, dialect, &arguments)
        }
    }

    /// `sql` with its `?` placeholders numbered `$1…$n` (compiled SQL has no `?` anywhere else).
    private static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func comparison(
        _ test: Comparison, correlated: Bool, _ dialect: SQLDialect, _ arguments: inout [SQLValue]
    ) -> String {
        let never = dialect == .postgres ? "FALSE" : "0"
        var op = test.comparison.sql
        var test = test
        if dialect == .postgres, test.comparison == .glob, case .text(let glob) = test.value {
            // PostgreSQL has no GLOB: match the equivalent anchored regex instead.
            guard let regex = GlobRegex.translate(glob) else { return never }
            op = "~"
            test.value = .text(regex)
        }
        switch (test.field, test.value) {
        case (.name, .text(let text)):
            arguments.append(.text(text))
            return "v.name \(op) ?"
        case (.version, .integer(let number)):
            arguments.append(.integer(number))
            return "v.version \(op) ?"
        case (.created, .time(let start, let length)):
            let end = start &+ length
            switch test.comparison {
            case .equal:
                arguments += [.integer(start), .integer(end)]
                return "(v.created >= ? AND v.created < ?)"
            case .notEqual:
                arguments += [.integer(start), .integer(end)]
                return "(v.created < ? OR v.created >= ?)"
            case .less:
                arguments.append(.integer(start))
                return "v.created < ?"
            case .lessOrEqual:
                arguments.append(.integer(end))
                return "v.created < ?"
            case .greater:
                arguments.append(.integer(end))
                return "v.created >= ?"
            case .greaterOrEqual, .glob:
                arguments.append(.integer(start))
                return "v.created >= ?"
            }
        case (.dataset, .digestPrefix(let prefix)):
            // Hex digits all sort below "g", so [prefix, prefix + "g") is exactly the prefix range.
            arguments += [.text(prefix), .text(prefix + "g")]
            let range = "(v.dataset_sha256 >= ? AND v.dataset_sha256 < ?)"
            return test.comparison == .notEqual ? "NOT \(range)" : range
        case (.alias, .text(let text)):
            arguments.append(.text(text))
            if test.comparison == .notEqual {
                return correlated
                    ? "NOT EXISTS (SELECT 1 FROM aliases a WHERE a.version_id = v.id AND a.alias = ?)"
                    : "v.id NOT IN (SELECT version_id FROM aliases WHERE alias = ?)"
            }
            return correlated
                ? "EXISTS (SELECT 1 FROM aliases a WHERE a.version_id = v.id AND a.alias \(op) ?)"
                : "v.id IN (SELECT version_id FROM aliases WHERE alias \(op) ?)"
        case (.tag(let key), .text(let text)):
            arguments += [.text(key), .text(text)]
            return correlated
                ? "EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id AND t.key = ? AND t.value \(op) ?)"
                : "v.id IN (SELECT version_id FROM tags WHERE key = ? AND value \(op) ?)"
        case (.metric(let key), .real(let number)):
            arguments += [.text(key), .real(number)]
            return correlated
                ? "EXISTS (SELECT 1 FROM metrics m WHERE m.version_id = v.id AND m.key = ? AND m.value \(op) ?)"
                : "v.id IN (SELECT version_id FROM metrics WHERE key = ? AND value \(op) ?)"
        default:
            // The parser never pairs a field with another kind of value; match nothing if it did.
            return never
        }
    }
}
