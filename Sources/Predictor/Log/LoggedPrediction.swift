import NIOCore
import Wire

/// A logged Predict decoded: who answered, the inputs as sent (column-wise) and the answers.
public struct LoggedPrediction: Sendable {
    /// The entry's request id.
    public var requestID: UInt64
    /// When it was answered (Unix milliseconds).
    public var timeMillis: Int64
    /// The model name that answered.
    public var model: String
    /// Its version.
    public var version: String
    /// The input columns (excluded columns are not there).
    public var columns: [PredictColumn]
    /// Churn probability per row.
    public var probabilities: [Float]
    /// Predicted label per row (probability at or above the model's threshold).
    public var labels: [Bool]

    /// Decodes `entry`'s request and response bodies.
    public init(_ entry: PredictionLogEntry) throws {
        let request = try PredictRequest.decode(from: entry.request)
        let response = try PredictResponse.decode(from: entry.response)
        requestID = entry.requestID
        timeMillis = entry.timeMillis
        model = response.model
        version = response.version
        columns = request.columns
        probabilities = response.probabilities
        labels = response.labels
    }

    /// Rows in the request.
    public var rowCount: Int { probabilities.count }
}
