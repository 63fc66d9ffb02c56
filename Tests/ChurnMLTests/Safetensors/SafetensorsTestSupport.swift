@testable import ChurnML

/// Helpers that build safetensors byte sequences by hand for the tests.
enum SafetensorsBytes {
    /// An 8-byte little-endian length prefix, the header text as UTF-8 (no padding) and `data`.
    static func file(header: String, data: [UInt8] = []) -> [UInt8] {
        let headerBytes = Array(header.utf8)
        return prefix(UInt64(headerBytes.count)) + headerBytes + data
    }

    /// `value` as 8 little-endian bytes, written out byte by byte.
    static func prefix(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// A small valid file with metadata and three tensors of three dtypes (used by the fuzz tests).
    static func sample() throws -> SafetensorsFile {
        SafetensorsFile(
            metadata: ["format": "churn", "note": "a \"quoted\" value"],
            tensors: [
                "bias": try SafetensorsTensor(float32: [0.5, -1.25], shape: [2]),
                "ids": try SafetensorsTensor(int64: [1, 2, 3], shape: [1, 3]),
                "scale": try SafetensorsTensor(float64: [3.5], shape: []),
            ]
        )
    }
}
