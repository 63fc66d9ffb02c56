import ChurnML
import NIOCore

/// The buffers one fast-path Predict uses: encoded features, probabilities, the network's
/// evaluator, per-column scan results and the response buffer. Pooled per model and reused, so a
/// request allocates nothing once the pool is warm. Used by one request at a time.
///
/// The buffers are fixed (`let` pointers, so the hot loop pays no exclusivity checks); a request
/// with more than ``capacityRows`` rows gets temporary feature and output buffers instead.
final class FastWorkspace: @unchecked Sendable {
    /// Rows the fixed buffers hold.
    static let capacityRows = 1024

    /// Forward pass buffers and weights.
    let evaluator: NetworkEvaluator
    /// Encoded, scaled features (row-major), ``capacityRows`` × width.
    let features: UnsafeMutablePointer<Float>
    /// Probabilities, ``capacityRows``.
    let output: UnsafeMutablePointer<Float>
    /// Per model column: byte offset of its values in the request body (-1: not seen yet).
    let columnStart: UnsafeMutablePointer<Int>
    /// Per model column: its wire type.
    let columnType: UnsafeMutablePointer<UInt8>
    /// Model columns.
    let columns: Int
    /// The response buffer (taken while in use, then put back so its storage is reused).
    var response: ByteBuffer?

    /// A workspace for a model with `columns` input columns, `width` features and `network`.
    init(network: DenseNetwork, columns: Int, width: Int, allocator: ByteBufferAllocator) {
        evaluator = NetworkEvaluator(network: network)
        self.columns = columns
        features = .allocate(capacity: max(1, Self.capacityRows * width))
        output = .allocate(capacity: Self.capacityRows)
        columnStart = .allocate(capacity: max(1, columns))
        columnStart.initialize(repeating: -1, count: max(1, columns))
        columnType = .allocate(capacity: max(1, columns))
        columnType.initialize(repeating: 0, count: max(1, columns))
        response = allocator.buffer(capacity: 256)
    }

    deinit {
        features.deallocate()
        output.deallocate()
        columnStart.deallocate()
        columnType.deallocate()
    }

    /// Drops a response buffer grown for an unusually large request.
    func trim() {
        if let capacity = response?.capacity, capacity > 64 * 1024 {
            response = nil
        }
    }
}
