/// What to do when a row holds a category (or binary level) that training never saw.
public enum UnseenCategoryPolicy: String, Codable, Sendable, CaseIterable {
    /// Encode it as "none of the known categories" (an all-zeros one-hot group; the most frequent
    /// level for a binary column) and report a warning with the row.
    case zeros
    /// Refuse the row with a `DataError` naming the column, the value and the known categories.
    case error
}
