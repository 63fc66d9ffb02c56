import Testing
import Wire

/// Chunking a batch into Predict requests and merging the answers back in row order.
@Suite("Predict batch: chunks and merge")
struct PredictBatchTests {
    @Test("chunks cover every row once, in order, at most maxRows each")
    func chunks() {
        #expect(PredictorClient.chunks(rows: 0, maxRows: 4) == [0..<0])
        #expect(PredictorClient.chunks(rows: 4, maxRows: 4) == [0..<4])
        #expect(PredictorClient.chunks(rows: 10, maxRows: 4) == [0..<4, 4..<8, 8..<10])
        #expect(PredictorClient.chunks(rows: 3, maxRows: 0) == [0..<1, 1..<2, 2..<3])
    }

    @Test("two answers merge: warning rows offset by the rows before, factor columns named, models listed once each")
    func merge() {
        let first = PredictResponse(
            model: "churn", version: "3", threshold: 0.4, probabilities: [0.1, 0.9], labels: [false, true],
            factorColumns: ["Age", "Balance"],
            factors: [[PredictFactor(column: 1, contribution: 0.2)], [PredictFactor(column: 0, contribution: -0.1)]],
            warnings: [PredictWarning(row: 1, column: "Geography", value: "Mars", message: "encoded as zeros")])
        let second = PredictResponse(
            model: "churn", version: "3", threshold: 0.4, probabilities: [0.5], labels: [true],
            factorColumns: ["Age"], factors: [[PredictFactor(column: 7, contribution: 0.3)]],
            warnings: [PredictWarning(row: 0, column: "Geography", value: "Venus", message: "encoded as zeros")])
        let batch = PredictBatch(merging: [first, second])
        #expect(batch.models == [PredictBatch.ModelVersion(model: "churn", version: "3")])
        #expect(batch.isFromOneModel)
        #expect(batch.threshold == 0.4)
        #expect(batch.probabilities == [0.1, 0.9, 0.5])
        #expect(batch.labels == [false, true, true])
        #expect(
            batch.factors == [
                [PredictBatch.NamedFactor(column: "Balance", contribution: 0.2)],
                [PredictBatch.NamedFactor(column: "Age", contribution: -0.1)],
                [PredictBatch.NamedFactor(column: "column 7", contribution: 0.3)],
            ])
        // Row 0 of the second answer is row 2 of the batch.
        #expect(batch.warnings.map(\.row) == [1, 2])
        #expect(batch.warnings.map(\.value) == ["Mars", "Venus"])
    }

    @Test("answers without explanations give an empty factor list per row; a swap shows two models")
    func swapAndNoFactors() {
        let old = PredictResponse(
            model: "churn", version: "1", threshold: 0.5, probabilities: [0.2, 0.3], labels: [false, false])
        let new = PredictResponse(model: "churn", version: "2", threshold: 0.6, probabilities: [0.7], labels: [true])
        let batch = PredictBatch(merging: [old, new, new])
        #expect(batch.factors == [[], [], [], []])
        #expect(batch.models.map(\.version) == ["1", "2"])
        #expect(!batch.isFromOneModel)
        #expect(batch.threshold == 0.6)
        #expect(PredictBatch(merging: []).models.isEmpty)
    }
}
