/// What a careful analyst checks in a customer file before training: its size and dialect, every
/// column's inferred role and why, missing and distinct counts, ranges or top categories, values of
/// the wrong type, the target's balance, duplicate ids and single columns that give the target away.
///
/// `churn profile` prints it, the registry stores it with every pushed dataset (`datasets show`), and
/// the gateway's Datasets page shows it. JSON form (`Codable`, snake_case keys):
///
/// ```json
/// {"source": "customers.csv", "rows": 10000, "dialect": {...}, "target": {...}, "target_error": null,
///  "columns": [...], "duplicate_ids": [...], "leakage": [...], "flags": ["..."]}
/// ```
public struct DataProfile: Codable, Sendable, Equatable {
    /// The file name the profile was made from.
    public var source: String
    /// Data rows (the header is not a row).
    public var rows: Int
    /// How the file was written; `nil` for in-memory tables.
    public var dialect: CSVDialect?
    /// The target column and its balance, when one was named or could be inferred.
    public var target: TargetBalance?
    /// Why no target could be found, when `target` is nil.
    public var targetError: String?
    /// Every column, in file order.
    public var columns: [ColumnReport]
    /// Id columns whose values repeat.
    public var duplicateIds: [DuplicateIds]
    /// Feature columns whose values alone separate the target almost perfectly.
    public var leakage: [LeakageSuspect]
    /// One line per thing worth a person's attention (typos, leakage, duplicates, dropped columns), in
    /// the order they matter; empty when nothing was found.
    public var flags: [String]

    /// Creates a profile.
    public init(
        source: String, rows: Int, dialect: CSVDialect?, target: TargetBalance?, targetError: String?,
        columns: [ColumnReport], duplicateIds: [DuplicateIds], leakage: [LeakageSuspect], flags: [String]
    ) {
        self.source = source
        self.rows = rows
        self.dialect = dialect
        self.target = target
        self.targetError = targetError
        self.columns = columns
        self.duplicateIds = duplicateIds
        self.leakage = leakage
        self.flags = flags
    }

    enum CodingKeys: String, CodingKey {
        case source, rows, dialect, target
        case targetError = "target_error"
        case columns
        case duplicateIds = "duplicate_ids"
        case leakage, flags
    }

    /// The target column's two values and how often each occurs.
    public struct TargetBalance: Codable, Sendable, Equatable {
        /// The target column's name.
        public var column: String
        /// The value meaning "churned".
        public var positive: String
        /// The other value.
        public var negative: String
        /// Rows with the positive value.
        public var positives: Int
        /// Rows with the negative value.
        public var negatives: Int
        /// `positives / (positives + negatives)`.
        public var positiveRate: Double

        /// Creates a balance.
        public init(
            column: String, positive: String, negative: String, positives: Int, negatives: Int, positiveRate: Double
        ) {
            self.column = column
            self.positive = positive
            self.negative = negative
            self.positives = positives
            self.negatives = negatives
            self.positiveRate = positiveRate
        }

        enum CodingKeys: String, CodingKey {
            case column, positive, negative, positives, negatives
            case positiveRate = "positive_rate"
        }
    }

    /// One column's facts.
    public struct ColumnReport: Codable, Sendable, Equatable {
        /// The column's name.
        public var name: String
        /// `numeric` when its values are numbers (possibly with a few stray texts), else `text`.
        public var type: String
        /// The role inference gives it (`id`, `numeric`, `categorical`, `binary`, `target`).
        public var role: ColumnRole
        /// Why, in words: `2,932 distinct texts in 10,000 rows`.
        public var reason: String
        /// Whether the model would not use it (role `id`).
        public var dropped: Bool
        /// Missing values (blank, `NA`, `null`, ...).
        public var missing: Int
        /// Distinct non-missing values.
        public var distinct: Int
        /// Smallest number, for numeric columns.
        public var minimum: Double?
        /// Largest number, for numeric columns.
        public var maximum: Double?
        /// Mean of the numbers, for numeric columns.
        public var mean: Double?
        /// The most frequent values with their counts (at most 10), for text and binary columns.
        public var top: [ValueCount]
        /// Values of the wrong type (a text in a numeric column), the first few with their lines.
        public var problems: [TypeProblem]
        /// How many values of the wrong type there are in all.
        public var problemCount: Int

        /// Creates a column report.
        public init(
            name: String, type: String, role: ColumnRole, reason: String, dropped: Bool, missing: Int, distinct: Int,
            minimum: Double?, maximum: Double?, mean: Double?, top: [ValueCount], problems: [TypeProblem],
            problemCount: Int
        ) {
            self.name = name
            self.type = type
            self.role = role
            self.reason = reason
            self.dropped = dropped
            self.missing = missing
            self.distinct = distinct
            self.minimum = minimum
            self.maximum = maximum
            self.mean = mean
            self.top = top
            self.problems = problems
            self.problemCount = problemCount
        }

        enum CodingKeys: String, CodingKey {
            case name, type, role, reason, dropped, missing, distinct
            case minimum = "min"
            case maximum = "max"
            case mean, top, problems
            case problemCount = "problem_count"
        }
    }

    /// A value and how many rows hold it.
    public struct ValueCount: Codable, Sendable, Equatable {
        /// The value as written (numbers as ``ColumnData/format(_:)`` writes them).
        public var value: String
        /// Rows holding it.
        public var count: Int

        /// Creates a count.
        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    /// One value of the wrong type.
    public struct TypeProblem: Codable, Sendable, Equatable {
        /// The 1-based line of the file.
        public var line: Int
        /// The value as written.
        public var value: String
        /// What is wrong: `is not a number`.
        public var message: String

        /// Creates a problem.
        public init(line: Int, value: String, message: String) {
            self.line = line
            self.value = value
            self.message = message
        }
    }

    /// An id column whose values repeat.
    public struct DuplicateIds: Codable, Sendable, Equatable {
        /// The id column's name.
        public var column: String
        /// Rows whose id also appears on an earlier row.
        public var duplicateRows: Int
        /// The first few repeated ids with the lines they appear on.
        public var examples: [DuplicateId]

        /// Creates a report.
        public init(column: String, duplicateRows: Int, examples: [DuplicateId]) {
            self.column = column
            self.duplicateRows = duplicateRows
            self.examples = examples
        }

        enum CodingKeys: String, CodingKey {
            case column
            case duplicateRows = "duplicate_rows"
            case examples
        }
    }

    /// One repeated id.
    public struct DuplicateId: Codable, Sendable, Equatable {
        /// The id as written.
        public var value: String
        /// The 1-based lines holding it (the first few).
        public var lines: [Int]

        /// Creates an example.
        public init(value: String, lines: [Int]) {
            self.value = value
            self.lines = lines
        }
    }

    /// A feature column that alone separates the target almost perfectly.
    public struct LeakageSuspect: Codable, Sendable, Equatable {
        /// The column's name.
        public var column: String
        /// ROC-AUC of the column's values alone as a score for the target (at least 0.5: a column that
        /// separates the classes the other way round counts the same).
        public var rocAUC: Double

        /// Creates a suspect.
        public init(column: String, rocAUC: Double) {
            self.column = column
            self.rocAUC = rocAUC
        }

        enum CodingKeys: String, CodingKey {
            case column
            case rocAUC = "roc_auc"
        }
    }
}
