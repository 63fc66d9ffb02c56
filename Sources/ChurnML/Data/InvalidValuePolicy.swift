/// What happens to a value of a numeric column that is not a number (a stray text such as
/// `six-hundred` in `CreditScore`): the `"invalid"` key of a column in the schema file.
public enum InvalidValuePolicy: String, Codable, Sendable, CaseIterable {
    /// Refuse the data with an error naming the line, column and value (the default).
    case error
    /// Read the value as missing; it is then imputed with the training median like any missing value.
    case missing
}
