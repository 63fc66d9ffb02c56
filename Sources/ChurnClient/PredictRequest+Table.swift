import ChurnML
import Wire

extension PredictRequest {
    /// A request carrying every column of `table` with its type: numeric columns as numbers, text
    /// columns as text, missing values as missing — so the server rebuilds exactly the table that
    /// `churn predict MODEL` would score offline.
    public init(table: Table, explain: UInt16 = 0, unseen: UnseenPolicy = .modelDefault) {
        let columns = zip(table.columnNames, table.columns).map { name, data -> PredictColumn in
            switch data {
            case .numeric(let values): .numbers(name, values)
            case .text(let values): .texts(name, values)
            }
        }
        self.init(columns: columns, explain: explain, unseen: unseen)
    }

    /// The wire policy for an optional ChurnML policy (nil: the model's own).
    public static func policy(_ policy: UnseenCategoryPolicy?) -> UnseenPolicy {
        switch policy {
        case nil: .modelDefault
        case .zeros?: .zeros
        case .error?: .error
        }
    }
}
