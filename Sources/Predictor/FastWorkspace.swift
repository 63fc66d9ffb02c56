import ChurnML
import NIOCore

/// The buffers one fast-path Predict uses: encoded features, probabilities, the network's
/// evaluator, per-column scan results and the response buffer. Pooled per model and reused, so a
/// request allocates nothing once the pool is warm. Used by one request at a time.
final class FastWorkspace: @unchecked Sendable {
    /// Floats kept between requests; a bigger request's buffers are released after it.
    static let retainedFloats = 64 * 1024

    /// Forward pass buffers and weights.
    let evaluator: NetworkEvaluator
    /// Encoded, scaled features (row-major).
    private(set) var features: UnsafeMutablePointer<Float>
    private var featureCapacity: Int
    /// Probabilities.
    private(set) var output: UnsafeMutablePointer<Float>
    private var outputCapacity: Int
    /// Per model column: byte offset of its values in the request body (-1: not seen yet).
    var columnStart: [Int]
    /// Per model column: its wire type.
    var columnType: [UInt8]
    /// The response buffer (taken while in use, then put back so its storage is reused).
    var response: ByteBuffer?

    /// A workspace for a model with `columns` input columns, `width` features and `network`.
    init(network: DenseNetwork, columns: Int, width: Int, allocator: ByteBufferAllocator) {
        evaluator = NetworkEvaluator(network: network)
        featureCapacity = max(1, width)
        features = .allocate(capacity: featureCapacity)
        outputCapacity = 1
        output = .allocate(capacity: outputCapacity)
        columnStart = [Int](repeating: -1, count: columns)
        columnType = [UInt8](repeating: 0, count: columns)
        response = allocator.buffer(capacity: 256)
    }

    deinit {
        features.deallocate()
        output.deallocate()
    }

    /// Makes room for `rows` rows of `width` features and zeroes them.
    func prepare(rows: Int, width: Int) {
        let floats = rows * width
        if floats > featureCapacity {
            features.deallocate()
            featureCapacity = floats
            features = .allocate(capacity: floats)
        }
        features.initialize(repeating: 0, count: floats)
        if rows > outputCapacity {
            output.deallocate()
            outputCapacity = rows
            output = .allocate(capacity: rows)
        }
    }

    /// Releases buffers grown for an unusually large request.
    func trim(width: Int) {
        if featureCapacity > Self.retainedFloats {
            features.deallocate()
            featureCapacity = max(1, width)
            features = .allocate(capacity: featureCapacity)
        }
        if outputCapacity > Self.retainedFloats {
            output.deallocate()
            outputCapacity = 1
            output = .allocate(capacity: 1)
        }
        if let capacity = response?.capacity, capacity > 4 * Self.retainedFloats {
            response = nil
        }
    }
}
