import CZlib

/// Reads gzip-compressed files (`.csv.gz`) through zlib's inflate, so that a compressed table is read
/// directly, with no temporary file.
///
/// Recognised by the gzip magic bytes (`1f 8b 08`), whatever the file is called. Several gzip members
/// one after another (as `cat a.gz b.gz` makes) are read as one stream, as `gunzip` does.
public enum Gzip {
    /// The most bytes a file may inflate to (4 GiB): a compressed file that claims more is refused
    /// instead of exhausting memory.
    public static let maximumInflatedBytes = 4 << 30

    /// Whether `bytes` start with the gzip magic number and the deflate method.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0x1F && bytes[1] == 0x8B && bytes[2] == 0x08
    }

    /// The inflated contents of gzip `bytes`. Throws ``DataError`` naming `source` for a corrupt or
    /// truncated stream, or one that inflates beyond `limit` bytes.
    public static func decompress(_ bytes: [UInt8], source: String, limit: Int = maximumInflatedBytes) throws -> [UInt8]
    {
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(bytes.count * 4, 1 << 16)))
        var stream = z_stream()
        // 16 + 15: a gzip header and trailer around a deflate stream with the largest window.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError("cannot start gzip decompression (zlib)", source: source)
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        try bytes.withUnsafeBufferPointer { input in
            guard let inputBase = input.baseAddress, input.count <= Int(UInt32.max) else {
                throw DataError("is too large to decompress in one piece (over 4 GiB compressed)", source: source)
            }
            stream.next_in = UnsafeMutablePointer(mutating: inputBase)
            stream.avail_in = UInt32(input.count)
            while true {
                var status = Z_OK
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                switch status {
                case Z_OK, Z_STREAM_END:
                    break
                case Z_BUF_ERROR:
                    // Output space was free, so inflate needed input that is not there.
                    throw DataError("is a truncated gzip file (its compressed data ends early)", source: source)
                default:
                    throw DataError(
                        "is not a valid gzip file (\(Self.reason(status, stream))); the compressed data is damaged",
                        source: source)
                }
                guard output.count + produced <= limit else {
                    throw DataError(
                        "inflates to more than \(limit >> 20) MiB; decompress it yourself if that is really intended",
                        source: source)
                }
                output.append(contentsOf: chunk[0..<produced])
                guard status == Z_STREAM_END else { continue }
                // The end of one member: another may follow (padding zeros after the last are ignored).
                let offset = input.count - Int(stream.avail_in)
                if input[offset...].allSatisfy({ $0 == 0 }) { return }
                guard input.count - offset >= 2, input[offset] == 0x1F, input[offset + 1] == 0x8B else {
                    throw DataError("has bytes after the end of its gzip data that are not gzip", source: source)
                }
                guard inflateReset(&stream) == Z_OK else {
                    throw DataError("cannot continue gzip decompression (zlib)", source: source)
                }
            }
        }
        return output
    }

    /// zlib's message for a failure, or its status code.
    private static func reason(_ status: Int32, _ stream: z_stream) -> String {
        if let message = stream.msg { return String(cString: message) }
        return "zlib status \(status)"
    }
}
