import Foundation
import Testing

/// `churn monitor` and the drift note in Health, against a real predictor: customers like the
/// training ones are stable; the same customers 25 years older put Age, and Age alone, in alert.
@Suite("Monitor CLI", .serialized)
struct MonitorCLITests {
    /// `source` with `Age` raised by `years` in every row.
    static func aged(_ source: URL, by years: Int, to target: URL) throws {
        let lines = try String(contentsOf: source, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let age = try #require(header.firstIndex(of: "Age"))
        let shifted = lines.dropFirst().map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[age] = String((Int(fields[age]) ?? 0) + years)
            return fields.joined(separator: ",")
        }
        try (([lines[0]] + shifted).joined(separator: "\n") + "\n").write(to: target, atomically: true, encoding: .utf8)
    }

    static func report(_ address: String, name: String? = nil) throws -> [String: Any] {
        let run = try ChurnProcess.run(["monitor"] + (name.map { [$0] } ?? []) + ["--predictor", address, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func levels(_ report: [String: Any]) -> [String: String] {
        let columns = report["columns"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: columns.compactMap { column in
                (column["name"] as? String).map { ($0, column["level"] as? String ?? "?") }
            })
    }

    @Test(
        "stable on customers like the training ones; Age alone in alert when they are 25 years older, in monitor and Health"
    )
    func shiftedAgeAlerts() async throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("customers.csv")
        let model = directory.appendingPathComponent("bank.churnmodel").path
        #expect(try ChurnProcess.run(["synth", "--rows", "3000", "--seed", "8", "--out", csv.path]).status == 0)
        #expect(try ChurnProcess.run(["train", csv.path, "--out", model, "--epochs", "2"]).status == 0)
        let server = try ServerProcess(role: "predictor", extra: ["--model-file", model])
        defer { server.stop() }

        var report = try Self.report(server.address, name: "bank")
        #expect(report["rows"] as? Int == 0)
        #expect((report["columns"] as? [[String: Any]])?.allSatisfy { $0["psi"] == nil || $0["psi"] is NSNull } == true)

        #expect(try ChurnProcess.run(["predict", "--predictor", server.address, "--input", csv.path]).status == 0)
        try await Task.sleep(for: .milliseconds(600))  // three drains of the monitor's queue
        report = try Self.report(server.address)
        #expect(report["rows"] as? Int == 3000)
        #expect(Self.levels(report).values.allSatisfy { $0 == "stable" }, "\(report)")
        var health = try ChurnProcess.run(["health", "--addr", server.address])
        #expect(!health.stdout.contains("drift"), "\(health.stdout)")

        let older = directory.appendingPathComponent("older.csv")
        try Self.aged(csv, by: 25, to: older)
        #expect(try ChurnProcess.run(["predict", "--predictor", server.address, "--input", older.path]).status == 0)
        try await Task.sleep(for: .milliseconds(600))
        report = try Self.report(server.address)
        #expect(report["rows"] as? Int == 6000)
        let levels = Self.levels(report)
        #expect(levels["Age"] == "alert", "\(report)")
        #expect(levels.filter { $0.key != "Age" }.values.allSatisfy { $0 == "stable" }, "\(report)")
        health = try ChurnProcess.run(["health", "--addr", server.address])
        #expect(health.stdout.contains("drift alert: Age PSI "), "\(health.stdout)")
        #expect(health.status == 0, "drift is a note, not a failure")

        let table = try ChurnProcess.run(["monitor", "--predictor", server.address])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasSuffix("6000 rows in the window") == true, "\(table.stdout)")
        #expect(lines.dropFirst(2).first?.hasPrefix("Age ") == true, "the worst column first: \(table.stdout)")
        #expect(lines.last?.hasPrefix("score ") == true, "\(table.stdout)")

        let other = try ChurnProcess.run(["monitor", "churn", "--predictor", server.address])
        #expect(other.status == 1)
        #expect(other.stderr.contains("serves bank@"), "\(other.stderr)")
        #expect(other.stderr.contains("not churn"), "\(other.stderr)")
    }
}
