import Foundation

/// A user's corrections to schema inference: the `--schema FILE.json` file.
///
/// ```json
/// { "target": "Exited", "positive": "1",
///   "columns": { "Surname": "id", "NumOfProducts": "categorical",
///                "CreditScore": { "role": "numeric", "invalid": "missing" } } }
/// ```
/// Every key is optional; unknown keys are rejected (they are usually typos). `positive` may be a
/// string, number or boolean. Roles are `id`, `numeric`, `categorical`, `binary` and `target`. A column
/// entry is a role, or an object with `role` and, for a numeric column only, `invalid`: `"error"` (the
/// default: a value that is not a number is refused) or `"missing"` (it is read as missing and imputed
/// with the training median, with a warning giving the count).
public struct SchemaOverrides: Codable, Sendable, Equatable {
    /// The target column's name.
    public var target: String?
    /// The target value meaning "churned".
    public var positive: String?
    /// Roles for individual columns, by column name.
    public var columns: [String: ColumnRole]?
    /// What to do with values that are not numbers, by numeric column name (the `invalid` key of a
    /// column's object form).
    public var invalid: [String: InvalidValuePolicy]?
    /// The file these overrides came from, for messages; not part of the JSON.
    public var source: String?

    /// Creates overrides in code.
    public init(
        target: String? = nil, positive: String? = nil, columns: [String: ColumnRole]? = nil,
        invalid: [String: InvalidValuePolicy]? = nil, source: String? = nil
    ) {
        self.target = target
        self.positive = positive
        self.columns = columns
        self.invalid = invalid
        self.source = source
    }

    /// The file name for messages: `source`, else `the schema overrides`.
    var sourceName: String { source ?? "the schema overrides" }

    /// Reads and validates a schema file. Throws ``DataError`` naming `path` when the file cannot be
    /// read, is not a JSON object, has an unknown key, a value of the wrong type, or an unknown role.
    public static func load(path: String) throws -> SchemaOverrides {
        let bytes = try FileBytes.read(path)
        do {
            var overrides = try JSONDecoder().decode(SchemaOverrides.self, from: Data(bytes))
            overrides.source = path
            return overrides
        } catch var error as DataError {
            error.source = path
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            let what = key.isEmpty ? "the file must hold a JSON object" : "\"\(key)\" has the wrong type"
            throw DataError("\(what) (\(Self.expectedShape))", source: path)
        } catch {
            throw DataError("is not valid JSON (\(Self.expectedShape))", source: path)
        }
    }

    /// The shape of a schema file, for error messages.
    static let expectedShape =
        #"expected {"target": "Name", "positive": "1", "columns": {"Name": "id|numeric|categorical|binary|target", "#
        + #""Other": {"role": "numeric", "invalid": "error|missing"}}}"#

    /// Decodes strictly: unknown keys and unknown roles are errors.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys where !Key.known.contains(key.stringValue) {
            throw DataError(
                "is not a schema-file key; use \"target\", \"positive\" or \"columns\"", value: key.stringValue)
        }
        target = try container.decodeIfPresent(String.self, forKey: Key("target"))
        positive = try Self.decodeLabel(container, Key("positive"))
        source = nil
        invalid = nil
        guard container.contains(Key("columns")), try !container.decodeNil(forKey: Key("columns")) else {
            columns = nil
            return
        }
        let entries = try container.nestedContainer(keyedBy: Key.self, forKey: Key("columns"))
        var roles: [String: ColumnRole] = [:]
        var policies: [String: InvalidValuePolicy] = [:]
        for key in entries.allKeys {
            let name = key.stringValue
            if let text = try? entries.decode(String.self, forKey: key) {
                roles[name] = try Self.role(text, column: name)
                continue
            }
            let entry = try entries.nestedContainer(keyedBy: Key.self, forKey: key)
            for inner in entry.allKeys where inner.stringValue != "role" && inner.stringValue != "invalid" {
                throw DataError(
                    "is not a column key; use \"role\" and \"invalid\"", column: name, value: inner.stringValue)
            }
            guard let roleText = try entry.decodeIfPresent(String.self, forKey: Key("role")) else {
                throw DataError("needs a \"role\" (\(Self.expectedShape))", column: name)
            }
            let role = try Self.role(roleText, column: name)
            roles[name] = role
            if let policyText = try entry.decodeIfPresent(String.self, forKey: Key("invalid")) {
                guard let policy = InvalidValuePolicy(rawValue: policyText) else {
                    throw DataError(
                        "is not an \"invalid\" policy; use \"error\" or \"missing\"", column: name, value: policyText)
                }
                guard role == .numeric else {
                    throw DataError(
                        "has \"invalid\" but role \"\(role.rawValue)\"; \"invalid\" applies only to numeric columns",
                        column: name)
                }
                policies[name] = policy
            }
        }
        columns = roles
        invalid = policies.isEmpty ? nil : policies
    }

    /// The role named `text` for column `column`.
    private static func role(_ text: String, column: String) throws -> ColumnRole {
        guard let role = ColumnRole(rawValue: text) else {
            let known = ColumnRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw DataError("is not a column role; use one of \(known)", column: column, value: text)
        }
        return role
    }

    /// Encodes the JSON form (without `source`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(target, forKey: Key("target"))
        try container.encodeIfPresent(positive, forKey: Key("positive"))
        guard let columns else { return }
        var entries = container.nestedContainer(keyedBy: Key.self, forKey: Key("columns"))
        for (name, role) in columns {
            if let policy = invalid?[name] {
                var entry = entries.nestedContainer(keyedBy: Key.self, forKey: Key(name))
                try entry.encode(role.rawValue, forKey: Key("role"))
                try entry.encode(policy.rawValue, forKey: Key("invalid"))
            } else {
                try entries.encode(role.rawValue, forKey: Key(name))
            }
        }
    }

    /// `positive` as text, whether written as a string, an integer, a number or a boolean.
    private static func decodeLabel(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> String? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        if let text = try? container.decode(String.self, forKey: key) { return text }
        if let flag = try? container.decode(Bool.self, forKey: key) { return flag ? "true" : "false" }
        if let integer = try? container.decode(Int64.self, forKey: key) { return String(integer) }
        return ColumnData.format(try container.decode(Double.self, forKey: key))
    }

    /// Any JSON object key.
    private struct Key: CodingKey {
        static let known: Set<String> = ["target", "positive", "columns"]
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
