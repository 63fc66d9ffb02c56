import Foundation
import Testing

/// The `churn-chaos` drill commands against a real registry process (the full suite is
/// scripts/chaos.sh; these check the commands themselves).
@Suite("Chaos CLI", .serialized)
struct ChaosCLITests {
    /// A JSON object printed as the last line of `text`.
    func lastJSON(_ text: String) throws -> [String: Any] {
        let line = try #require(text.split(separator: "\n").last.map(String.init))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("hostile frames at a registry: every frame sent, the registry still answers, counts add up")
    func hostileAtRegistry() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RegistryProcess(dataDirectory: directory.appendingPathComponent("data").path)
        defer { server.stop() }
        let run = try ChurnProcess.runChaos([
            "hostile", "--role", "registry", "--addr", server.address, "--frames", "3000", "--rounds", "3",
            "--connections", "3", "--slow-clients", "1", "--seed", "9",
        ])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let summary = try lastJSON(run.stdout)
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["frames"] as? Int == 3000)
        let mutations = try #require(summary["mutations"] as? [String: Int])
        #expect(mutations.values.reduce(0, +) == 3000)
        #expect((mutations["bitFlip"] ?? 0) > 0 && (mutations["randomBytes"] ?? 0) > 0)
        #expect(summary["probes"] as? Int == 5)
        #expect(server.process.isRunning)
    }

    @Test("verify passes for an acknowledged push and names one that is missing")
    func verifyFindsMissingDataset() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RegistryProcess(dataDirectory: directory.appendingPathComponent("data").path)
        defer { server.stop() }
        let csv = directory.appendingPathComponent("bank.csv").path
        #expect(try ChurnProcess.run(["synth", "--rows", "50", "--seed", "2", "--out", csv]).status == 0)
        let push = try ChurnProcess.run([
            "datasets", "push", csv, "--name", "bank", "--registry", server.address, "--json",
        ])
        #expect(push.status == 0, "\(push.stderr)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(push.stdout.utf8)) as? [String: Any])
        let sha = try #require(record["sha256"] as? String)
        let acks = directory.appendingPathComponent("acks.txt")
        try "ack dataset bank \(sha)\n".write(to: acks, atomically: true, encoding: .utf8)
        let good = try ChurnProcess.runChaos(["verify", "--registry", server.address, "--acks", acks.path])
        #expect(good.status == 0, "\(good.stdout)")
        #expect(try lastJSON(good.stdout)["datasets"] as? Int == 1)

        let missing = String(repeating: "0", count: 64)
        try "ack dataset bank \(sha)\nack dataset bank \(missing)\nack dat".write(
            to: acks, atomically: true, encoding: .utf8)
        let bad = try ChurnProcess.runChaos(["verify", "--registry", server.address, "--acks", acks.path])
        #expect(bad.status == 1)
        let summary = try lastJSON(bad.stdout)
        #expect(summary["datasets"] as? Int == 2)
        let problems = try #require(summary["problems"] as? [String])
        #expect(problems == ["acknowledged dataset bank@\(missing) is missing"])
    }
}
