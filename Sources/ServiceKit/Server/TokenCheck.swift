import Wire

/// Constant-time token comparison (wire.md §5.1): compares the SHA-256 digests of both strings
/// byte by byte without early exit, so timing reveals neither length nor the first differing byte.
struct TokenCheck: Sendable {
    private let expectedDigest: [UInt8]

    /// Prepares to check against `token`.
    init(token: String) {
        expectedDigest = BlobDigest(hashing: Array(token.utf8)).bytes
    }

    /// Whether `candidate` equals the configured token.
    func matches(_ candidate: String) -> Bool {
        let digest = BlobDigest(hashing: Array(candidate.utf8)).bytes
        var difference: UInt8 = 0
        for index in 0..<BlobDigest.byteCount {
            difference |= expectedDigest[index] ^ digest[index]
        }
        return difference == 0
    }
}
