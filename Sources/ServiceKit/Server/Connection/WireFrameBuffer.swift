import NIOCore
import Wire

/// The bytes of one connection between reads, cut into whole frames.
///
/// It exists apart from the connection handler so that framing and the memory accounting of a
/// partial frame (wire.md §8) can be tested without a channel. A read's bytes are joined to the
/// partial frame kept from earlier reads, decoded in place (frame bodies are slices, no copies), and
/// whatever incomplete frame is left is kept — right-sized — with its capacity charged to the
/// server-wide ``BufferBudget``. Connections whose frames arrive whole never touch the budget.
struct WireFrameBuffer {
    /// How a read ended, for the connection's timers and its budget check.
    enum ReadEnd: Equatable {
        /// Every byte was decoded; nothing is kept.
        case consumed
        /// An incomplete frame is kept for the next read.
        case keptPartialFrame
        /// The incomplete frame would take the server past its budget; nothing is kept.
        case overBudget
    }

    private var decoder: WireFrameDecoder
    private var partial: ByteBuffer?
    /// Bytes currently charged to the budget (the capacity of the kept partial frame).
    private(set) var budgetedBytes = 0
    private let budget: BufferBudget

    /// A buffer that charges `budget` and accepts frames up to `maxFrameLength` (the pre-Hello limit
    /// unless told otherwise).
    init(budget: BufferBudget, maxFrameLength: Int = WireProtocol.maxFrameLengthBeforeHello) {
        self.budget = budget
        self.decoder = WireFrameDecoder(maxFrameLength: maxFrameLength)
    }

    /// The largest frame accepted; raised once Hello has announced the real limit.
    var maxFrameLength: Int {
        get { decoder.maxFrameLength }
        set { decoder.maxFrameLength = newValue }
    }

    /// Whether an incomplete frame is kept (a connection waiting for its rest is not idle).
    var holdsPartialFrame: Bool { partial != nil }

    /// Starts a read: the bytes to decode are the kept partial frame followed by `input`. The caller
    /// keeps the result as a local while decoding, so the hot path works on one buffer without
    /// copy-on-write or property access per frame.
    mutating func beginRead(_ input: consuming ByteBuffer) -> ByteBuffer {
        guard var existing = partial.take() else { return input }
        var input = input
        existing.writeBuffer(&input)
        return existing
    }

    /// The next whole frame in `buffer`, nil when more bytes are needed; throws ``WireError`` for a
    /// length outside the limits.
    mutating func nextFrame(from buffer: inout ByteBuffer) throws -> WireFrame? {
        try decoder.decode(buffer: &buffer)
    }

    /// Ends a read: keeps what is left of `buffer` as the partial frame (compacted when the read
    /// buffer is much bigger than it) and charges its capacity to the budget.
    mutating func endRead(remaining buffer: consuming ByteBuffer, allocator: ByteBufferAllocator) -> ReadEnd {
        var buffer = buffer
        guard buffer.readableBytes != 0 else {
            releaseBudget()
            return .consumed
        }
        if buffer.capacity > 2 * buffer.readableBytes + 4096 {
            var compact = allocator.buffer(capacity: buffer.readableBytes)
            compact.writeBuffer(&buffer)
            buffer = compact
        }
        if budgetedBytes != buffer.capacity {
            guard budget.change(from: budgetedBytes, to: buffer.capacity) else { return .overBudget }
            budgetedBytes = buffer.capacity
        }
        partial = buffer
        return .keptPartialFrame
    }

    /// Forgets the partial frame and returns its bytes to the budget (on close).
    mutating func discard() {
        partial = nil
        releaseBudget()
    }

    private mutating func releaseBudget() {
        if budgetedBytes != 0 {
            _ = budget.change(from: budgetedBytes, to: 0)
            budgetedBytes = 0
        }
    }
}
