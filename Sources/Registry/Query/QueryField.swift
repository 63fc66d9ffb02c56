/// A field of a model version that queries compare and order by.
public enum QueryField: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The model name (string).
    case name
    /// The version number (integer).
    case version
    /// The publication time (ISO 8601 date or date-time string).
    case created
    /// The training data's SHA-256 (hex prefix; `=` and `!=` only).
    case dataset
    /// An alias pointing at the version (string; `=`, `!=`, `~`).
    case alias
    /// The tag `tags.KEY` (string).
    case tag(String)
    /// The metric `metrics.KEY` (number).
    case metric(String)

    /// The field as written in a query.
    public var description: String {
        switch self {
        case .name: return "name"
        case .version: return "version"
        case .created: return "created"
        case .dataset: return "dataset"
        case .alias: return "alias"
        case .tag(let key): return "tags.\(key)"
        case .metric(let key): return "metrics.\(key)"
        }
    }

    /// The operators the field accepts.
    var operators: [ComparisonOperator] {
        switch self {
        case .name, .tag: return ComparisonOperator.allCases
        case .version, .created, .metric: return ComparisonOperator.allCases.filter { $0 != .glob }
        case .dataset: return [.equal, .notEqual]
        case .alias: return [.equal, .notEqual, .glob]
        }
    }

    /// True when `order by` accepts the field.
    var isSortable: Bool {
        self != .alias
    }

    /// What looking up a field name found.
    enum Lookup {
        /// The field.
        case field(QueryField)
        /// Why the word names no field.
        case problem(String)
    }

    /// The field named `word` (field names and the `tags.`/`metrics.` prefixes ignore case; keys
    /// do not), or why there is none.
    static func named(_ word: String) -> Lookup {
        switch word.lowercased() {
        case "name": return .field(.name)
        case "version": return .field(.version)
        case "created": return .field(.created)
        case "dataset": return .field(.dataset)
        case "alias": return .field(.alias)
        default: break
        }
        for (prefix, make) in [("tags.", QueryField.tag), ("metrics.", QueryField.metric)]
        where word.lowercased().hasPrefix(prefix) {
            let key = String(word.dropFirst(prefix.count))
            do {
                try NameRules.validateName(key, kind: prefix == "tags." ? "tag key" : "metric key")
            } catch {
                return .problem("\"\(word)\" has an invalid key: \(error)")
            }
            return .field(make(key))
        }
        return .problem(
            "unknown field \"\(word)\"; fields are name, version, created, dataset, alias, tags.KEY, metrics.KEY")
    }
}
