/// Writes a ``CustomerRanking`` as CSV, best prospect first:
/// `rank, <id columns>, churn_probability, risk_band, expected_value, factor_1 … factor_K`.
///
/// Id columns are the schema's `id` columns present in the table (`RowNumber`, `CustomerId`,
/// `Surname`); factors read `Age 62 raises churn risk by 18.3 points` (``FactorPhrase``).
public enum RankedCustomersCSV {
    /// The file's bytes (LF line endings, fields quoted where RFC 4180 needs it).
    public static func bytes(_ ranking: CustomerRanking, table: Table, schema: Schema, threshold: Double) -> [UInt8] {
        let idColumns = schema.columns.filter { $0.role == .id }.compactMap { column in
            table.columnIndex(named: column.name).map { (name: column.name, index: $0) }
        }
        let factorColumns = ranking.factorColumns.map { table.columnIndex(named: $0) }
        var sink = ByteSink(capacity: 64 + ranking.order.count * (96 + 48 * ranking.factorsPerRow))
        var header = ["rank"] + idColumns.map(\.name) + ["churn_probability", "risk_band", "expected_value"]
        header += (0..<ranking.factorsPerRow).map { "factor_\($0 + 1)" }
        for (index, name) in header.enumerated() {
            if index > 0 { sink.append(0x2C) }
            sink.append(field: name)
        }
        sink.append(0x0A)
        let bands = RiskBand.allCases.map { Array($0.rawValue.utf8) }
        for (rank, row) in ranking.order.enumerated() {
            sink.append(decimal: rank + 1)
            for column in idColumns {
                sink.append(0x2C)
                sink.append(field: table.displayValue(row: row, column: column.index))
            }
            let probability = Double(ranking.probabilities[row])
            sink.append(0x2C)
            sink.append(fixed: probability, digits: 6)
            sink.append(0x2C)
            let band = RiskBand(probability: probability, threshold: threshold)
            sink.append(bands[RiskBand.allCases.firstIndex(of: band) ?? 0])
            sink.append(0x2C)
            sink.append(fixed: ranking.expectedValues[row], digits: 2)
            for rank in 0..<ranking.factorsPerRow {
                sink.append(0x2C)
                let column = Int(ranking.factorIndices[row * ranking.factorsPerRow + rank])
                guard column >= 0, column < ranking.factorColumns.count else { continue }
                let value = factorColumns[column].map { table.displayValue(row: row, column: $0) }
                sink.append(field: FactorPhrase.phrase(
                    column: ranking.factorColumns[column], value: value,
                    contribution: ranking.factorContributions[row * ranking.factorsPerRow + rank]))
            }
            sink.append(0x0A)
        }
        return sink.bytes
    }
}
