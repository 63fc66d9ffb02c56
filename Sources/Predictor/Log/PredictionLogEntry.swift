import NIOCore
import Wire

/// One logged Predict, as it is stored: the request and response bodies exactly as they crossed
/// the wire (minus any excluded columns), with an id and the time it was answered.
///
/// On disk each entry is one record: `u32 length`, `u32 crc32c(payload)`, then the payload —
/// `u8 format (1)`, `u64 requestID`, `i64 unix millis`, `u32 n` + the Predict request body,
/// `u32 n` + the Predict response body (big-endian, wire.md's encodings). A record cut short by
/// a crash, or whose checksum does not match, ends its segment for a reader.
public struct PredictionLogEntry: Sendable {
    /// Unique within the log: the predictor's random 24-bit start id, then a 40-bit sequence.
    public var requestID: UInt64
    /// When the prediction was answered (Unix milliseconds).
    public var timeMillis: Int64
    /// The Predict request body (wire.md §13.2).
    public var request: ByteBuffer
    /// The Predict response body.
    public var response: ByteBuffer

    /// An entry.
    public init(requestID: UInt64, timeMillis: Int64, request: ByteBuffer, response: ByteBuffer) {
        self.requestID = requestID
        self.timeMillis = timeMillis
        self.request = request
        self.response = response
    }

    static let format: UInt8 = 1
    /// Bytes before the payload: length and checksum.
    static let headerBytes = 8
    /// Payload bytes besides the two bodies: format, request id, time and the two lengths.
    static let fixedPayloadBytes = 1 + 8 + 8 + 4 + 4
    /// Largest payload a reader accepts (a larger length is damage, not a record).
    static let maxPayloadBytes = 1 << 30

    /// A request id as text: 16 hex digits.
    public static func hex(_ requestID: UInt64) -> String {
        let hex = String(requestID, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// Appends the record to `buffer`, its checksum left zero for ``seal(_:)``: the request path
    /// copies each answered Predict straight into the log's pending buffer this way, and the writer
    /// computes the checksums off the request path.
    static func appendUnsealed(
        requestID: UInt64, timeMillis: Int64, request: ByteBuffer, response: ByteBuffer, to buffer: inout ByteBuffer
    ) {
        let length = fixedPayloadBytes + request.readableBytes + response.readableBytes
        buffer.writeInteger(UInt32(length))
        buffer.writeInteger(UInt32(0))  // checksum, by seal(_:)
        buffer.writeInteger(format)
        buffer.writeInteger(requestID)
        buffer.writeInteger(timeMillis)
        buffer.writeInteger(UInt32(request.readableBytes))
        buffer.writeImmutableBuffer(request)
        buffer.writeInteger(UInt32(response.readableBytes))
        buffer.writeImmutableBuffer(response)
    }

    /// Sets the checksum of every record in `records` (complete records, as ``appendUnsealed``
    /// writes them).
    static func seal(_ records: inout ByteBuffer) {
        records.withUnsafeMutableReadableBytes { bytes in
            var offset = 0
            while offset + headerBytes <= bytes.count {
                let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                let payload = offset + headerBytes
                guard payload + length <= bytes.count else { return }
                let checksum = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[payload..<(payload + length)]))
                bytes.storeBytes(of: checksum.bigEndian, toByteOffset: offset + 4, as: UInt32.self)
                offset = payload + length
            }
        }
    }

    /// The unsealed records of `records`, one entry each (none past the first one cut short).
    static func unsealedEntries(_ records: ByteBuffer) -> [PredictionLogEntry] {
        var buffer = records
        var entries: [PredictionLogEntry] = []
        while let length = buffer.readInteger(as: UInt32.self), buffer.readInteger(as: UInt32.self) != nil,
            var payload = buffer.readSlice(length: Int(length))
        {
            guard let entry = decodePayload(&payload) else { break }
            entries.append(entry)
        }
        return entries
    }

    /// What reading one record from the front of a segment's remaining bytes found.
    enum Decoded {
        /// A record, and how many bytes it took.
        case entry(PredictionLogEntry, consumed: Int)
        /// Nothing left.
        case end
        /// A record cut short or damaged: nothing after it in the segment can be trusted.
        case damaged(String)
    }

    /// Reads the record at the front of `buffer` without moving its reader index.
    static func decodeRecord(from buffer: ByteBuffer) -> Decoded {
        guard buffer.readableBytes > 0 else { return .end }
        var view = buffer
        guard let length = view.readInteger(as: UInt32.self), let checksum = view.readInteger(as: UInt32.self)
        else { return .damaged("a record header cut short") }
        guard Int(length) <= maxPayloadBytes, length >= fixedPayloadBytes else {
            return .damaged("a record length of \(length) bytes")
        }
        guard var payload = view.readSlice(length: Int(length)) else {
            return .damaged("a record of \(length) bytes cut short at \(view.readableBytes)")
        }
        let actual = payload.withUnsafeReadableBytes { CRC32C.checksum($0) }
        guard actual == checksum else { return .damaged("a record whose checksum does not match") }
        guard let entry = decodePayload(&payload) else { return .damaged("a record of an unknown format") }
        return .entry(entry, consumed: headerBytes + Int(length))
    }

    /// The entry a record's payload holds, nil when it is not one.
    private static func decodePayload(_ payload: inout ByteBuffer) -> PredictionLogEntry? {
        guard payload.readInteger(as: UInt8.self) == format,
            let requestID = payload.readInteger(as: UInt64.self),
            let timeMillis = payload.readInteger(as: Int64.self),
            let requestLength = payload.readInteger(as: UInt32.self),
            let request = payload.readSlice(length: Int(requestLength)),
            let responseLength = payload.readInteger(as: UInt32.self),
            let response = payload.readSlice(length: Int(responseLength)),
            payload.readableBytes == 0
        else { return nil }
        return PredictionLogEntry(requestID: requestID, timeMillis: timeMillis, request: request, response: response)
    }
}
