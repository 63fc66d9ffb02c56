/// How one original column of a table becomes one or more encoded features, with the statistics
/// fitted on the training rows.
///
/// - `numeric`: one feature; missing values become `numericFill` (the training median); a value that
///   is not a number is refused, or read as missing when `invalid` is ``InvalidValuePolicy/missing``.
/// - `binary`: one feature, 0 for `levels[0]` and 1 for `levels[1]` (levels sorted, as scikit-learn's
///   LabelEncoder does); missing values become `fill` (the most frequent level).
/// - `categorical`: one feature per level (one-hot, levels sorted); missing values become `fill`.
public struct FeatureEncoder: Codable, Sendable, Equatable {
    /// The original column's name.
    public var column: String
    /// `numeric`, `binary` or `categorical`.
    public var role: ColumnRole
    /// Known levels in encoding order (binary and categorical), as text.
    public var levels: [String]
    /// Whether the training column held numbers (levels are then compared as numbers).
    public var numericSource: Bool
    /// The imputed level for a missing binary or categorical value.
    public var fill: String?
    /// The imputed number for a missing numeric value (training median).
    public var numericFill: Double?
    /// Smallest training value of a numeric column (for form hints and range checks).
    public var minimum: Double?
    /// Largest training value of a numeric column.
    public var maximum: Double?
    /// How often each level occurred in training, in `levels` order.
    public var levelCounts: [Int]?
    /// For a numeric column, what to do with a value that is not a number (from the schema file);
    /// `nil` refuses it. Encoded only when set, so older bundles keep their bytes.
    public var invalid: InvalidValuePolicy?

    /// Number of encoded features this column produces.
    public var outputWidth: Int {
        role == .categorical ? levels.count : 1
    }

    /// Names of the encoded features: the column name, or `column=level` for each one-hot level.
    public var outputNames: [String] {
        role == .categorical ? levels.map { "\(column)=\($0)" } : [column]
    }

    /// Snake-case keys for the bundle's JSON.
    enum CodingKeys: String, CodingKey {
        case column, role, levels
        case numericSource = "numeric_source"
        case fill
        case numericFill = "numeric_fill"
        case minimum, maximum
        case levelCounts = "level_counts"
        case invalid
    }
}
