/// What a column is used for by the model.
public enum ColumnRole: String, Codable, Sendable, CaseIterable {
    /// An identifier or otherwise useless column (all distinct, constant, all missing): dropped.
    case id
    /// A number fed to the model after imputation and standard scaling.
    case numeric
    /// A text column with a handful of values, one-hot encoded.
    case categorical
    /// A column with exactly two values, encoded as 0/1.
    case binary
    /// The binary label to predict.
    case target

    /// Whether the column is an input feature of the model.
    public var isFeature: Bool {
        self == .numeric || self == .categorical || self == .binary
    }
}
