import ChurnClient
import ChurnML
import Foundation
import Predictor
import Testing
import Wire

/// Predictions over the wire equal `ModelBundle.predict` / `explain` offline, bit for bit, on the
/// real dataset when present (else synthetic rows), through both the event-loop and the task path.
@Suite("Predictor RPC", .serialized)
struct PredictorRPCTests {
    /// Writes the test model, starts a predictor on it, runs `body`, stops everything.
    func withPredictor(
        maxRows: Int = 100_000, _ body: (RunningPredictor, WireClient, ModelBundle, String) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("churn.safetensors")
        try TestData.model().write(to: path)
        // What `churn predict MODEL` runs: the bundle as read back from the file.
        let offline = try ModelBundle.load(path: path)
        let predictor = try await RunningPredictor.start(modelFile: path, maxRows: maxRows)
        let client = try await predictor.client()
        do {
            try await body(predictor, client, offline, path)
        } catch {
            await client.close()
            try await predictor.stop()
            throw error
        }
        await client.close()
        try await predictor.stop()
    }

    @Test func wholeDatasetInOneRequestEqualsOfflineBitForBit() async throws {
        try await withPredictor { _, client, offline, path in
            let table = TestData.table
            let expected = try offline.predict(table)
            let response = try await client.send(PredictRequest(table: table))
            #expect(response.probabilities.count == table.rowCount)
            #expect(response.probabilities.map(\.bitPattern) == expected.probabilities.map(\.bitPattern))
            #expect(response.labels == expected.labels)
            // Labels are probability ≥ threshold, checked here independently of the server.
            #expect(response.labels == response.probabilities.map { Double($0) >= offline.threshold })
            #expect(response.threshold == offline.threshold)
            #expect(response.model == "churn")
            let digest = SHA256Digest.hex(of: try FileBytes.read(path))
            #expect(response.version == String(digest.prefix(12)))
            #expect(response.factors.isEmpty && response.factorColumns.isEmpty && response.warnings.isEmpty)
            if TestData.isReal { #expect(table.rowCount == 10_000) }
        }
    }

    @Test func modelColumnsOnlyTakeTheFastPathAndStillEqualOffline() async throws {
        try await withPredictor { _, client, offline, _ in
            let names = Set(offline.pipeline.encoders.map(\.column))
            func modelOnly(_ table: Table) -> PredictRequest {
                var request = PredictRequest(table: table)
                request.columns = request.columns.filter { names.contains($0.name) }
                return request
            }
            let table = TestData.table
            let whole = try await client.send(modelOnly(table))
            let expected = try offline.predict(table)
            #expect(whole.probabilities.map(\.bitPattern) == expected.probabilities.map(\.bitPattern))
            #expect(whole.labels == expected.labels)
            for row in 0..<50 {
                let one = TestData.rows(row..<(row + 1))
                let response = try await client.send(modelOnly(one))
                #expect(
                    response.probabilities.first?.bitPattern == expected.probabilities[row].bitPattern, "row \(row)")
            }
        }
    }

    @Test func singleRowsAndSmallBatchesEqualOffline() async throws {
        try await withPredictor { _, client, offline, _ in
            let rows = min(120, TestData.table.rowCount)
            let whole = try offline.predict(TestData.rows(0..<rows))
            for row in 0..<rows {
                let one = TestData.rows(row..<(row + 1))
                let expected = try offline.predict(one)
                let response = try await client.send(PredictRequest(table: one))
                #expect(
                    response.probabilities.map(\.bitPattern) == expected.probabilities.map(\.bitPattern), "row \(row)")
                // Rows are independent: the same row alone and inside a batch score the same.
                #expect(
                    response.probabilities.first?.bitPattern == whole.probabilities[row].bitPattern,
                    "row \(row) in batch")
            }
            for start in stride(from: 0, to: rows, by: 7) {
                let batch = TestData.rows(start..<min(start + 7, rows))
                let response = try await client.send(PredictRequest(table: batch))
                #expect(
                    response.probabilities.map(\.bitPattern)
                        == Array(whole.probabilities[start..<min(start + 7, rows)]).map(\.bitPattern))
            }
        }
    }

    @Test func explanationsEqualOfflineExplain() async throws {
        try await withPredictor { _, client, offline, _ in
            // 3 rows run on the event loop, 10 in a task (more than 4 explained rows).
            for count in [1, 3, 10] {
                let table = TestData.rows(100..<(100 + count))
                let (predictions, factors) = try offline.explain(table, top: 3)
                let response = try await client.send(PredictRequest(table: table, explain: 3))
                #expect(response.probabilities.map(\.bitPattern) == predictions.probabilities.map(\.bitPattern))
                #expect(response.factorColumns == offline.pipeline.encoders.map(\.column))
                #expect(response.factors.count == count)
                for (row, expected) in factors.enumerated() {
                    let got = response.factors[row].map {
                        (response.factorColumns[Int($0.column)], $0.contribution.bitPattern)
                    }
                    #expect(got.map(\.0) == expected.map(\.column), "row \(row)")
                    #expect(got.map(\.1) == expected.map(\.contribution.bitPattern), "row \(row)")
                    #expect(got.count == 3)
                }
            }
            // explain ≥ the number of columns returns every column.
            let all = try await client.send(PredictRequest(table: TestData.rows(0..<1), explain: 1000))
            #expect(all.factors.first?.count == offline.pipeline.encoders.count)
        }
    }

    @Test func modelInfoDescribesTheBundle() async throws {
        try await withPredictor { predictor, client, offline, path in
            let info = try await client.send(ModelInfoRequest())
            let digest = SHA256Digest.hex(of: try FileBytes.read(path))
            #expect(info.sha256 == digest)
            #expect(info.version == String(digest.prefix(12)))
            #expect(info.generation == 1)
            #expect(info.source == path)
            #expect(info.threshold == offline.threshold)
            #expect(info.target == "Exited")
            #expect(info.fields.map(\.name) == offline.pipeline.encoders.map(\.column))
            let geography = try #require(info.fields.first { $0.name == "Geography" })
            #expect(geography.kind == .categorical)
            #expect(geography.valueType == PredictColumn.textType)
            #expect(geography.categories == ["France", "Germany", "Spain"])
            let age = try #require(info.fields.first { $0.name == "Age" })
            #expect(age.kind == .numeric && age.valueType == PredictColumn.numberType)
            // Training range: within the whole table's range (the model saw a subset of it).
            let ages =
                TestData.table.column(named: "Age").flatMap { data -> [Double]? in
                    if case .numeric(let values) = data { return values.compactMap { $0 } } else { return nil }
                } ?? []
            #expect(age.minimum.map { $0 >= (ages.min() ?? 0) } == true)
            #expect(age.maximum.map { $0 <= (ages.max() ?? 0) } == true)
            #expect(info.metrics.contains { $0.name == "roc_auc" })
            #expect(info.lineage.contains { $0.key == "created" && $0.value == "2025-11-25T00:00:00Z" })
            #expect(try await client.send(HealthRequest()).status == .serving)
            #expect(predictor.store.current?.identity.generation == 1)
        }
    }

    @Test func largeBatchesRunOffTheLoopAndStillMatch() async throws {
        try await withPredictor { _, client, offline, _ in
            // Several pipelined 1,000-row batches (deferred to tasks) interleaved with single rows.
            let batch = TestData.rows(0..<1000)
            let expected = try offline.predict(batch).probabilities.map(\.bitPattern)
            let single = TestData.rows(5..<6)
            let expectedSingle = try offline.predict(single).probabilities.map(\.bitPattern)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        if index % 2 == 0 {
                            return try await client.send(PredictRequest(table: batch)).probabilities.map(\.bitPattern)
                                == expected
                        }
                        return try await client.send(PredictRequest(table: single)).probabilities.map(\.bitPattern)
                            == expectedSingle
                    }
                }
                for try await ok in group { #expect(ok) }
            }
        }
    }
}
