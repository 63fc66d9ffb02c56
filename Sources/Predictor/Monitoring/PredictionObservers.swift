import NIOCore

/// What watches the answered Predicts besides the client: the prediction log and the drift
/// monitor, either of which may be absent. Both only queue on the request path.
public struct PredictionObservers: Sendable {
    /// Where answered Predicts are logged (nil: not logged).
    public var log: PredictionLog?
    /// The drift monitor (nil: not watched).
    public var drift: DriftMonitor?

    /// Observers from their parts.
    public init(log: PredictionLog? = nil, drift: DriftMonitor? = nil) {
        self.log = log
        self.drift = drift
    }

    /// Hands one answered Predict of `model` to each observer.
    func observe(_ model: ServingModel, request: ByteBuffer, response: ByteBuffer) {
        log?.record(request: request, response: response)
        drift?.observe(model: model, request: request, response: response)
    }

    /// Their Health notes, `; `-joined (nil when neither has one).
    var healthNote: String? {
        let notes = [drift?.healthNote, log?.healthNote].compactMap { $0 }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
