/// Writes the encoded values of one column into a row-major feature buffer.
struct EncoderColumnWriter {
    let encoder: FeatureEncoder
    let table: Table
    let policy: UnseenCategoryPolicy
    private let textIndex: [String: Int]
    private let numberIndex: [Double: Int]
    private let fillIndex: Int?

    /// Prepares lookups for `encoder`'s levels.
    init(encoder: FeatureEncoder, table: Table, policy: UnseenCategoryPolicy) {
        self.encoder = encoder
        self.table = table
        self.policy = policy
        var text: [String: Int] = [:]
        var numbers: [Double: Int] = [:]
        for (index, level) in encoder.levels.enumerated() {
            text[level] = index
            if encoder.numericSource, let number = Double(level) { numbers[number] = index }
        }
        textIndex = text
        numberIndex = numbers
        fillIndex = encoder.fill.flatMap { text[$0] }
    }

    /// Fills `buffer[row * stride + offset ..< + outputWidth]` for every row.
    func write(
        _ data: ColumnData, into buffer: UnsafeMutableBufferPointer<Float>, stride: Int, offset: Int,
        warnings: inout [EncodingWarning]
    ) throws {
        if encoder.role == .numeric {
            try writeNumeric(data, into: buffer, stride: stride, offset: offset)
            return
        }
        for row in 0..<table.rowCount {
            let level: Int?
            switch data {
            case .numeric(let values):
                level =
                    values[row].map { encoder.numericSource ? numberIndex[$0] : textIndex[ColumnData.format($0)] }
                    ?? fillIndex
            case .text(let values):
                level = values[row].map { textIndex[$0] } ?? fillIndex
            }
            var resolved = level
            if resolved == nil {
                let value = data.displayValue(at: row)
                if policy == .error {
                    throw DataError(
                        "is not a category seen in training (known: \(encoder.levels.joined(separator: ", ")))",
                        source: table.source, line: lineNumber(row), column: encoder.column, value: value)
                }
                let fallback =
                    encoder.role == .binary
                    ? "was encoded as the most frequent level \"\(encoder.fill ?? "")\""
                    : "was encoded as none of the known categories"
                warnings.append(
                    EncodingWarning(
                        row: row, column: encoder.column, value: value, message: "is an unseen category; it \(fallback)"
                    ))
                resolved = encoder.role == .binary ? fillIndex : nil
            }
            let base = row * stride + offset
            if encoder.role == .binary {
                buffer[base] = Float(resolved ?? 0)
            } else if let index = resolved {
                buffer[base + index] = 1
            }
        }
    }

    private func writeNumeric(
        _ data: ColumnData, into buffer: UnsafeMutableBufferPointer<Float>, stride: Int, offset: Int
    ) throws {
        let fill = encoder.numericFill ?? 0
        switch data {
        case .numeric(let values):
            for row in 0..<table.rowCount {
                buffer[row * stride + offset] = Float(values[row] ?? fill)
            }
        case .text(let values):
            let decimalComma = table.allowsDecimalComma
            for row in 0..<table.rowCount {
                guard let text = values[row] else {
                    buffer[row * stride + offset] = Float(fill)
                    continue
                }
                // The column became text because some value is not a number.
                switch FieldParser.classify(text, decimalComma: decimalComma) {
                case .number(let number):
                    buffer[row * stride + offset] = Float(number)
                case .missing:
                    buffer[row * stride + offset] = Float(fill)
                case .text:
                    guard encoder.invalid == .missing else {
                        throw DataError(
                            "is not a number", source: table.source, line: lineNumber(row), column: encoder.column,
                            value: text)
                    }
                    buffer[row * stride + offset] = Float(fill)
                }
            }
        }
    }

    private func lineNumber(_ row: Int) -> Int? {
        row < table.lineNumbers.count ? table.lineNumbers[row] : nil
    }
}
