/// A value bound to a `?` placeholder of compiled SQL. Query values only ever reach SQLite as
/// bound values, never spliced into the SQL text.
public enum SQLValue: Sendable, Equatable {
    /// TEXT.
    case text(String)
    /// INTEGER.
    case integer(Int64)
    /// REAL.
    case real(Double)
}

/// SQL for a model search, with its arguments in placeholder order. The statement selects
/// `id, name, version, bundle_sha256, bundle_size, dataset_sha256, created, description,
/// threshold, hyperparameters, lineage` of `model_versions`.
public struct CompiledQuery: Sendable, Equatable {
    /// The SQL text, with `?` for every value.
    public var sql: String
    /// The values, in the order of the placeholders.
    public var arguments: [SQLValue]
}
