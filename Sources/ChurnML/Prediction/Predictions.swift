/// Model output for a table of customers.
public struct Predictions: Sendable {
    /// Churn probability per row.
    public var probabilities: [Float]
    /// Whether each row is labelled as churning (probability ≥ the model's threshold).
    public var labels: [Bool]
    /// Values encoded with a fallback (unseen categories under the `zeros` policy).
    public var warnings: [EncodingWarning]
}

extension ModelBundle {
    /// Scores every row of `table` (extra columns, such as ids or the target, are ignored).
    ///
    /// - Parameter policy: overrides the bundle's unseen-category policy when given.
    /// - Throws: `DataError` naming the row's line, column and value for a missing column, text in a
    ///   numeric column, or an unseen category under the `error` policy.
    public func predict(_ table: Table, policy: UnseenCategoryPolicy? = nil) throws -> Predictions {
        let encoded = try pipeline.transform(table, policy: policy)
        let probabilities = try network.predictProbabilities(encoded.features)
        return Predictions(
            probabilities: probabilities,
            labels: probabilities.map { Double($0) >= threshold },
            warnings: encoded.warnings)
    }

    /// Reads and verifies the model file at `path`.
    public static func load(path: String) throws -> ModelBundle {
        try read(path: path).bundle
    }

    /// Reads and verifies the model file at `path`, returning its bytes too (for their SHA-256).
    public static func read(path: String) throws -> (bundle: ModelBundle, bytes: [UInt8]) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch let error as DataError {
            throw BundleError.io(path: path, reason: error.reason)
        }
        do {
            return (try BundleCodec.decode(bytes), bytes)
        } catch let error as BundleError {
            throw BundleError.io(path: path, reason: error.description)
        }
    }

    /// Writes the model to `path` atomically and returns the file's SHA-256 (hex).
    @discardableResult
    public func write(to path: String) throws -> String {
        let bytes = try BundleCodec.encode(self)
        do {
            try FileBytes.writeAtomically(bytes, to: path)
        } catch let error as DataError {
            throw BundleError.io(path: path, reason: error.reason)
        }
        return SHA256Digest.hex(of: bytes)
    }
}
