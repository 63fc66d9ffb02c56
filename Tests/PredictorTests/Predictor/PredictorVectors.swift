import Foundation
import NIOCore

/// Loads `Protocols/vectors/predictor/*.hex` relative to this source file.
enum PredictorVectors {
    /// The repository root.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Predictor
        .deletingLastPathComponent()  // PredictorTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    /// The predictor vectors directory.
    static let directory = root.appendingPathComponent("Protocols/vectors/predictor")

    /// Names (without `.hex`) of every vector file.
    static func allNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".hex") }
            .map { String($0.dropLast(4)) }
            .sorted()
    }

    /// The bytes of vector `name`: hex digits with whitespace ignored, `#` lines are comments.
    static func bytes(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".hex"), encoding: .utf8)
        var digits: [UInt8] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            for scalar in line.unicodeScalars where !scalar.properties.isWhitespace {
                guard let value = UInt8(String(scalar), radix: 16) else { throw VectorError.badHex(name) }
                digits.append(value)
            }
        }
        guard digits.count % 2 == 0 else { throw VectorError.badHex(name) }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// A vector file could not be parsed.
    enum VectorError: Error {
        case badHex(String)
    }
}
