import LinearAlgebra

/// Encoded feature rows with their 0/1 labels.
public struct LabeledMatrix: Sendable {
    /// One row per customer, already encoded and scaled.
    public var features: Matrix
    /// 1 for churned, 0 for stayed; one per row.
    public var labels: [Float]

    /// Pairs features with labels; the counts must agree.
    public init(features: Matrix, labels: [Float]) throws {
        guard features.rows == labels.count else {
            throw TrainingError.unusableData("\(features.rows) feature rows but \(labels.count) labels")
        }
        self.features = features
        self.labels = labels
    }

    /// Number of rows.
    public var rowCount: Int { labels.count }
}
