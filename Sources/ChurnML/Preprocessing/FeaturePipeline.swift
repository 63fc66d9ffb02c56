import LinearAlgebra

/// The fitted preprocessing of a model: per-column encoders (imputation, label encoding, one-hot
/// encoding) followed by standard scaling of every encoded feature — the roles of scikit-learn's
/// SimpleImputer, LabelEncoder, OneHotEncoder (ColumnTransformer) and StandardScaler.
///
/// Everything is fitted on training rows only and stored in the model bundle, so prediction applies
/// exactly the transformation training saw.
public struct FeaturePipeline: Codable, Sendable, Equatable {
    /// One encoder per feature column, in schema order.
    public var encoders: [FeatureEncoder]
    /// Training mean of each encoded feature.
    public var means: [Float]
    /// Training standard deviation (population, ddof 0) of each encoded feature; 1 where it is 0.
    public var scales: [Float]
    /// What prediction does with a category training never saw, unless the caller says otherwise.
    public var unseenCategoryPolicy: UnseenCategoryPolicy

    /// Names of the encoded features, in matrix column order.
    public var featureNames: [String] { encoders.flatMap(\.outputNames) }
    /// Width of the encoded matrix.
    public var featureCount: Int { encoders.reduce(0) { $0 + $1.outputWidth } }

    /// Fits encoders and scaler on `table` (the training rows) for the feature columns of `schema`.
    public static func fit(
        _ table: Table, schema: Schema, unseenCategoryPolicy: UnseenCategoryPolicy = .zeros
    ) throws -> FeaturePipeline {
        try fitAndTransform(table, schema: schema, unseenCategoryPolicy: unseenCategoryPolicy).pipeline
    }

    /// Fits the pipeline on `table` and returns it with `table`'s own encoded, scaled rows — the
    /// same values `transform(table)` gives, without encoding the training rows a second time.
    public static func fitAndTransform(
        _ table: Table, schema: Schema, unseenCategoryPolicy: UnseenCategoryPolicy = .zeros
    ) throws -> (pipeline: FeaturePipeline, encoded: EncodedRows) {
        var encoders: [FeatureEncoder] = []
        for column in schema.featureColumns {
            encoders.append(
                try FeatureEncoder.fit(column: column.name, role: column.role, invalid: column.invalid, table: table))
        }
        guard !encoders.isEmpty else {
            throw DataError("no feature columns are left after dropping id and target columns", source: table.source)
        }
        var pipeline = FeaturePipeline(
            encoders: encoders, means: [], scales: [], unseenCategoryPolicy: unseenCategoryPolicy)
        let width = pipeline.featureCount
        pipeline.means = [Float](repeating: 0, count: width)
        pipeline.scales = [Float](repeating: 1, count: width)
        var encoded = try pipeline.encode(table, policy: .zeros, scaled: false)
        let raw = encoded.features
        var sums = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        raw.storage.withUnsafeBufferPointer { values in
            for row in 0..<raw.rows {
                for column in 0..<width {
                    let value = Double(values[row * width + column])
                    sums[column] += value
                    squares[column] += value * value
                }
            }
        }
        let count = Double(max(1, raw.rows))
        for column in 0..<width {
            let mean = sums[column] / count
            let variance = max(0, squares[column] / count - mean * mean)
            pipeline.means[column] = Float(mean)
            let deviation = variance.squareRoot()
            pipeline.scales[column] = deviation > 1e-12 ? Float(deviation) : 1
        }
        var storage = raw.storage
        storage.withUnsafeMutableBufferPointer { pipeline.scale($0, rows: raw.rows) }
        encoded.features = try Matrix(rows: raw.rows, columns: width, values: storage)
        return (pipeline, encoded)
    }

    /// Encodes and scales every row of `table` (which may hold extra columns, such as ids or the
    /// target; they are ignored).
    ///
    /// - Parameter policy: overrides the pipeline's unseen-category policy when given.
    /// - Throws: `DataError` naming the column (and line and value) for a missing column, text in a
    ///   numeric column, or an unseen category under the `error` policy.
    public func transform(_ table: Table, policy: UnseenCategoryPolicy? = nil) throws -> EncodedRows {
        try encode(table, policy: policy ?? unseenCategoryPolicy, scaled: true)
    }

    /// Encodes (and optionally scales) `table` column by column into one row-major matrix.
    private func encode(_ table: Table, policy: UnseenCategoryPolicy, scaled: Bool) throws -> EncodedRows {
        let width = featureCount
        let rows = table.rowCount
        var storage = [Float](repeating: 0, count: rows * width)
        var warnings: [EncodingWarning] = []
        var offset = 0
        for encoder in encoders {
            guard let data = table.column(named: encoder.column) else {
                throw DataError("is missing from the data", source: table.source, column: encoder.column)
            }
            let writer = EncoderColumnWriter(encoder: encoder, table: table, policy: policy)
            try storage.withUnsafeMutableBufferPointer { buffer in
                try writer.write(data, into: buffer, stride: width, offset: offset, warnings: &warnings)
            }
            offset += encoder.outputWidth
        }
        if scaled {
            storage.withUnsafeMutableBufferPointer { scale($0, rows: rows) }
        }
        return EncodedRows(features: try Matrix(rows: rows, columns: width, values: storage), warnings: warnings)
    }
}

extension FeaturePipeline {
    /// Standard-scales row-major encoded features in place: `(x − mean) / scale` per column.
    func scale(_ buffer: UnsafeMutableBufferPointer<Float>, rows: Int) {
        let width = featureCount
        for row in 0..<rows {
            for column in 0..<width {
                let index = row * width + column
                buffer[index] = (buffer[index] - means[column]) / scales[column]
            }
        }
    }
}

/// Encoded rows and anything worth telling the caller about how they were encoded.
public struct EncodedRows: Sendable {
    /// One row per input row, `FeaturePipeline.featureCount` columns.
    public var features: Matrix
    /// Unseen categories that were encoded under the `zeros` policy.
    public var warnings: [EncodingWarning]
}

/// A value that was encoded with a fallback (an unseen category under the `zeros` policy).
public struct EncodingWarning: Sendable, Equatable, Codable, CustomStringConvertible {
    /// 0-based row index in the encoded table.
    public var row: Int
    /// The original column.
    public var column: String
    /// The value that training never saw.
    public var value: String
    /// What was done instead.
    public var message: String

    /// One line for people.
    public var description: String { "row \(row + 1): column \"\(column)\": \"\(value)\" \(message)" }
}
