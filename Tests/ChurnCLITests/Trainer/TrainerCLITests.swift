import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The trainer end to end: real `churn serve registry` and `churn serve trainer` processes driven
/// by the CLI (issue 5's "Done means").
@Suite("Trainer CLI", .serialized)
struct TrainerCLITests {
    /// The reference dataset, `../shared/datasets/Churn_Modelling.csv` from the package root.
    static let dataset = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/datasets/Churn_Modelling.csv").standardizedFileURL.path

    /// Runs `churn arguments…` and parses its standard output as a JSON object.
    private func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try ChurnProcess.run(arguments)
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [NSLocalizedDescriptionKey: "churn \(arguments): \(result.status) \(result.stderr)"])
        }
        return object
    }

    /// Polls `churn jobs show ID --json` until `done` holds (up to `seconds`).
    private func job(_ id: Int, trainer: String, seconds: Double = 180, until done: ([String: Any]) -> Bool) throws
        -> [String: Any]
    {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try json(["jobs", "show", "\(id)", "--json", "--trainer", trainer])
            if done(last) { return last }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return last
    }

    /// The state of a job record.
    private func state(_ record: [String: Any]) -> String { record["state"] as? String ?? "" }

    /// Whether a job record has finished.
    private func isFinished(_ record: [String: Any]) -> Bool {
        ["succeeded", "failed", "cancelled"].contains(state(record))
    }

    /// Jobs listed by the trainer, newest first.
    private func jobs(_ trainer: String) throws -> [[String: Any]] {
        let result = try ChurnProcess.run(["jobs", "ls", "--json", "--trainer", trainer])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    @Test(
        "push → auto-train → a version with metrics identical to churn train → promotion recorded; a push while down trains after restart"
    )
    func autoTrainEndToEnd() throws {
        try #require(FileManager.default.fileExists(atPath: Self.dataset), "the reference dataset is missing")
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try RegistryProcess(dataDirectory: directory.appendingPathComponent("registry").path)
        defer { registry.stop() }
        let trainerArguments = [
            "--registry", registry.address, "--data-dir", directory.appendingPathComponent("trainer").path,
            "--log-level", "error",
            "--auto-train", "churn-data", "--promote", "if-better", "--epochs", "5", "--seed", "3",
        ]
        var trainer = try ServerProcess(role: "trainer", extra: trainerArguments)
        defer { trainer.stop() }

        let push = try ChurnProcess.run([
            "datasets", "push", Self.dataset, "--name", "churn-data", "--registry", registry.address,
        ])
        #expect(push.status == 0, "\(push.stderr)")
        let first = try job(1, trainer: trainer.address, until: isFinished)
        #expect(state(first) == "succeeded", "\(first)")

        // The same data, seed and options offline.
        let model = directory.appendingPathComponent("offline.churn").path
        let offline = try json(["train", Self.dataset, "--out", model, "--epochs", "5", "--seed", "3", "--json"])
        let offlineMetrics = try #require(offline["test"] as? [String: Any])
        let shown = try json(["models", "show", "churn@1", "--json", "--registry", registry.address])
        let version = try #require(shown["version"] as? [String: Any])
        let published = try #require(version["metrics"] as? [String: Double])
        let keys = ["accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss", "brier"]
        #expect(Set(published.keys) == Set(keys))
        for key in keys {
            #expect(
                published[key] == offlineMetrics[key] as? Double,
                "\(key): \(published[key] ?? -1) vs \(offlineMetrics[key] ?? "nil")")
        }
        #expect(version["aliases"] as? [String] == ["production"])
        let firstResult = try #require(first["result"] as? [String: Any])
        #expect(firstResult["metrics"] as? [String: Double] == published)
        let firstPromotion = try #require(firstResult["promotion"] as? [String: Any])
        #expect(firstPromotion["promoted"] as? Bool == true)
        #expect(firstPromotion["production_version"] is NSNull)
        for phase in ["fetch_ms", "train_ms", "publish_ms"] {
            #expect((firstResult[phase] as? Double ?? -1) >= 0, "\(phase)")
        }

        // The same data again with if-better: equal, so not promoted; both numbers recorded and shown.
        let watched = try ChurnProcess.run([
            "jobs", "submit", "--dataset", "churn-data", "--epochs", "5", "--seed", "3", "--watch", "--trainer",
            trainer.address,
        ])
        #expect(watched.status == 0, "\(watched.stderr)")
        #expect(watched.stdout.contains("not promoted"), "\(watched.stdout)")
        let second = try json(["jobs", "show", "2", "--json", "--trainer", trainer.address])
        let promotion = try #require((second["result"] as? [String: Any])?["promotion"] as? [String: Any])
        #expect(promotion["promoted"] as? Bool == false)
        #expect(promotion["production_version"] as? Int == 1)
        let rocAUC = try #require(published["roc_auc"])
        #expect(promotion["new_value"] as? Double == rocAUC)
        #expect(promotion["production_value"] as? Double == rocAUC, "production scored on the same held-out rows")
        let text = try ChurnProcess.run(["jobs", "show", "2", "--trainer", trainer.address])
        #expect(text.stdout.contains("production: churn@1"), "\(text.stdout)")

        // Down: a push nobody follows; after the restart it trains, and nothing trains twice.
        #expect(trainer.stop() == 0)
        let smaller = directory.appendingPathComponent("smaller.csv").path
        let lines = try String(contentsOfFile: Self.dataset, encoding: .utf8).components(separatedBy: "\r\n")
        try (lines.prefix(4001).joined(separator: "\r\n") + "\r\n").write(
            toFile: smaller, atomically: true, encoding: .utf8)
        let pushed = try json([
            "datasets", "push", smaller, "--name", "churn-data", "--json", "--registry", registry.address,
        ])
        trainer = try ServerProcess(role: "trainer", extra: trainerArguments)
        let third = try job(3, trainer: trainer.address, until: isFinished)
        #expect(state(third) == "succeeded", "\(third)")
        #expect(third["dataset"] as? String == "churn-data@\(pushed["sha256"] as? String ?? "?")")
        Thread.sleep(forTimeInterval: 1)
        #expect(try jobs(trainer.address).count == 3)
    }

    @Test("kill -9 mid-job → re-run after restart; broken CSV → failed with its parse error; next job succeeds; cancel")
    func crashBrokenCancel() throws {
        try #require(FileManager.default.fileExists(atPath: Self.dataset), "the reference dataset is missing")
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try RegistryProcess(dataDirectory: directory.appendingPathComponent("registry").path)
        defer { registry.stop() }
        let trainerArguments = [
            "--registry", registry.address, "--data-dir", directory.appendingPathComponent("trainer").path,
            "--log-level", "error",
        ]
        var trainer = try ServerProcess(role: "trainer", extra: trainerArguments)
        defer { trainer.stop() }
        #expect(
            try ChurnProcess.run(["datasets", "push", Self.dataset, "--name", "bank", "--registry", registry.address])
                .status == 0)

        let submitted = try json([
            "jobs", "submit", "--dataset", "bank", "--epochs", "100000", "--json", "--trainer", trainer.address,
        ])
        let id = try #require(submitted["id"] as? Int)
        let training = try job(id, trainer: trainer.address, seconds: 60) { $0["progress"] is [String: Any] }
        #expect(state(training) == "running")
        kill(trainer.process.processIdentifier, SIGKILL)
        trainer.process.waitUntilExit()
        #expect(trainer.process.terminationReason == .uncaughtSignal)

        trainer = try ServerProcess(role: "trainer", extra: trainerArguments)
        let rerun = try job(id, trainer: trainer.address, seconds: 60) { ($0["attempts"] as? Int ?? 0) >= 2 }
        #expect(state(rerun) == "running", "\(rerun)")
        #expect((rerun["notes"] as? [String])?.first?.contains("re-queued") == true, "\(rerun)")
        let cancel = try ChurnProcess.run(["jobs", "cancel", "\(id)", "--trainer", trainer.address])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(state(try job(id, trainer: trainer.address, until: isFinished)) == "cancelled")

        // A third target value on line 4: the registry accepts the table; training cannot.
        var lines = try String(contentsOfFile: Self.dataset, encoding: .utf8).components(separatedBy: "\r\n").prefix(50)
            .map { $0 }
        lines[3] = String(lines[3].dropLast()) + "2"
        let broken = directory.appendingPathComponent("broken.csv").path
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(
            try ChurnProcess.run(["datasets", "push", broken, "--name", "broken", "--registry", registry.address])
                .status == 0)
        let failedWatch = try ChurnProcess.run([
            "jobs", "submit", "--dataset", "broken", "--watch", "--trainer", trainer.address,
        ])
        #expect(failedWatch.status != 0, "--watch exits non-zero when the job fails")
        let failed = try #require(try jobs(trainer.address).first)
        #expect(state(failed) == "failed")
        let error = failed["error"] as? String ?? ""
        #expect(error.contains(":4: column \"Exited\": \"2\" is a third target value"), "\(error)")

        let next = try ChurnProcess.run([
            "jobs", "submit", "--dataset", "bank", "--epochs", "2", "--watch", "--trainer", trainer.address,
        ])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("state:       succeeded"))
        let listing = try ChurnProcess.run(["jobs", "ls", "--trainer", trainer.address])
        #expect(
            listing.stdout.contains("cancelled") && listing.stdout.contains("failed")
                && listing.stdout.contains("succeeded"))
    }
}
