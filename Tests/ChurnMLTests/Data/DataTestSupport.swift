import Foundation
import Testing

@testable import ChurnML

/// Helpers shared by the data-layer tests.
enum DataTestSupport {
    /// Parses `text` as CSV named `t.csv`.
    static func table(_ text: String) throws -> Table {
        try CSVReader.parse(Array(text.utf8), source: "t.csv")
    }

    /// The DataError thrown by `body`, or `nil` (recorded as a test failure) if none is thrown.
    static func dataError(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) -> DataError? {
        #expect(throws: DataError.self, sourceLocation: sourceLocation) { try body() }
    }

    /// The package root, found from this file's path (Tests/ChurnMLTests/Data/<file>).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The Kaggle reference file, `../shared/datasets/Churn_Modelling.csv` from the package root.
    static var realDatasetPath: String {
        packageRoot.appendingPathComponent("../shared/datasets/Churn_Modelling.csv").standardizedFileURL.path
    }

    /// Whether the reference file is present (tests on it are skipped otherwise).
    static var hasRealDataset: Bool {
        FileManager.default.fileExists(atPath: realDatasetPath)
    }

    /// A fresh path in the temporary directory.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("churn-data-tests-\(UUID().uuidString)-\(name)").path
    }

    /// The numeric values of `column`, or an empty array (recorded as a failure) when it is text.
    static func numbers(_ column: ColumnData?, sourceLocation: SourceLocation = #_sourceLocation) -> [Double?] {
        guard case .numeric(let values)? = column else {
            Issue.record("expected a numeric column, got \(String(describing: column))", sourceLocation: sourceLocation)
            return []
        }
        return values
    }

    /// The text values of `column`, or an empty array (recorded as a failure) when it is numeric.
    static func texts(_ column: ColumnData?, sourceLocation: SourceLocation = #_sourceLocation) -> [String?] {
        guard case .text(let values)? = column else {
            Issue.record("expected a text column, got \(String(describing: column))", sourceLocation: sourceLocation)
            return []
        }
        return values
    }
}
