import NIOCore

/// Stats response (wire.md §5.3): the server's counters since start.
///
/// Body: `string role`, `u64 uptimeMillis`, `u32 connectionsOpen`, `u64 connectionsTotal`,
/// `u64 requestsTotal`, `u64 errorsTotal`, `u64 bytesIn`, `u64 bytesOut`,
/// `list<(u16 opcode, u64 count)> requestsByOpcode (≤ 1024)`, `list<(u16 code, u64 count)> errorsByCode (≤ 1024)`.
public struct StatsResponse: WireMessage {
    /// A request counter for one opcode.
    public struct OpcodeCount: Hashable, Sendable {
        /// The opcode.
        public var opcode: Opcode
        /// Requests received with it.
        public var count: UInt64
        public init(opcode: Opcode, count: UInt64) {
            self.opcode = opcode
            self.count = count
        }
    }

    /// An error counter for one code.
    public struct ErrorCount: Hashable, Sendable {
        /// The error code.
        public var code: WireErrorCode
        /// Error frames sent with it.
        public var count: UInt64
        public init(code: WireErrorCode, count: UInt64) {
            self.code = code
            self.count = count
        }
    }

    /// Role name.
    public var role: String
    /// Milliseconds since the server started.
    public var uptimeMillis: UInt64
    /// Connections open now.
    public var connectionsOpen: UInt32
    /// Connections accepted since start.
    public var connectionsTotal: UInt64
    /// Request frames received since start.
    public var requestsTotal: UInt64
    /// Error frames sent since start.
    public var errorsTotal: UInt64
    /// Bytes read from all connections.
    public var bytesIn: UInt64
    /// Bytes written to all connections.
    public var bytesOut: UInt64
    /// Requests per opcode (only opcodes seen at least once), ascending by opcode.
    public var requestsByOpcode: [OpcodeCount]
    /// Error frames per code (only codes sent at least once), ascending by code.
    public var errorsByCode: [ErrorCount]

    /// Creates a Stats response.
    public init(
        role: String, uptimeMillis: UInt64, connectionsOpen: UInt32, connectionsTotal: UInt64,
        requestsTotal: UInt64, errorsTotal: UInt64, bytesIn: UInt64, bytesOut: UInt64,
        requestsByOpcode: [OpcodeCount], errorsByCode: [ErrorCount]
    ) {
        self.role = role
        self.uptimeMillis = uptimeMillis
        self.connectionsOpen = connectionsOpen
        self.connectionsTotal = connectionsTotal
        self.requestsTotal = requestsTotal
        self.errorsTotal = errorsTotal
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.requestsByOpcode = requestsByOpcode
        self.errorsByCode = errorsByCode
    }

    public init(from reader: inout WireReader) throws {
        role = try reader.string("role", maxLength: 256)
        uptimeMillis = try reader.integer("uptimeMillis")
        connectionsOpen = try reader.integer("connectionsOpen")
        connectionsTotal = try reader.integer("connectionsTotal")
        requestsTotal = try reader.integer("requestsTotal")
        errorsTotal = try reader.integer("errorsTotal")
        bytesIn = try reader.integer("bytesIn")
        bytesOut = try reader.integer("bytesOut")
        requestsByOpcode = try reader.list("requestsByOpcode", maxCount: 1024, minimumItemSize: 10) {
            OpcodeCount(opcode: Opcode(rawValue: try $0.integer("opcode")), count: try $0.integer("count"))
        }
        errorsByCode = try reader.list("errorsByCode", maxCount: 1024, minimumItemSize: 10) {
            ErrorCount(code: WireErrorCode(rawValue: try $0.integer("code")), count: try $0.integer("count"))
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(role)
        buffer.writeMultipleIntegers(uptimeMillis, connectionsOpen, connectionsTotal, requestsTotal, errorsTotal)
        buffer.writeMultipleIntegers(bytesIn, bytesOut)
        buffer.writeWireList(requestsByOpcode) { $0.writeMultipleIntegers($1.opcode.rawValue, $1.count) }
        buffer.writeWireList(errorsByCode) { $0.writeMultipleIntegers($1.code.rawValue, $1.count) }
    }
}
