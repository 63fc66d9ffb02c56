import Wire

/// Plausible customer rows for benchmarks, made from a predictor's ModelInfo: numbers spread over
/// each numeric column's training range, categories cycled through their known levels.
public enum PredictBenchmarkRows {
    /// `rows` rows (column-wise) for the model described by `info`; `seed` varies the values.
    public static func columns(for info: ModelInfoResponse, rows: Int, seed: Int) -> [PredictColumn] {
        info.fields.enumerated().map { position, field in
            let count = max(1, rows)
            if field.kind == .numeric || field.valueType == PredictColumn.numberType {
                let values: [Double?] = (0..<count).map { row in
                    let step = Double((row * 7 + seed * 13 + position * 3) % 97) / 96
                    if field.kind != .numeric, !field.categories.isEmpty {
                        let level = field.categories[(row + seed + position) % field.categories.count]
                        return Double(level) ?? 0
                    }
                    let low = field.minimum ?? 0
                    let high = field.maximum ?? max(1, low)
                    return (low + (high - low) * step).rounded()
                }
                return .numbers(field.name, values)
            }
            let levels = field.categories.isEmpty ? ["x"] : field.categories
            return .texts(field.name, (0..<count).map { levels[($0 + seed + position) % levels.count] })
        }
    }
}
