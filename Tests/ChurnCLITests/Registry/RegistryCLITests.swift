import Foundation
import Testing

/// The registry commands against a real `churn serve registry` process.
@Suite("Registry CLI", .serialized)
struct RegistryCLITests {
    @Test("push, publish, ls, show, search, alias, history, fetch, rm through the CLI")
    func lifecycle() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RegistryProcess(dataDirectory: directory.appendingPathComponent("data").path)
        defer { server.stop() }
        let registry = ["--registry", server.address]
        func churn(_ arguments: [String]) throws -> ChurnProcess.Result {
            try ChurnProcess.run(arguments + registry)
        }
        let csv = directory.appendingPathComponent("bank.csv").path
        let model = directory.appendingPathComponent("model.bundle").path
        #expect(try ChurnProcess.run(["synth", "--rows", "300", "--seed", "4", "--out", csv]).status == 0)
        #expect(try ChurnProcess.run(["train", csv, "--out", model, "--epochs", "1"]).status == 0)

        let push = try churn(["datasets", "push", csv, "--name", "bank"])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("pushed bank@"))
        let datasets = try churn(["datasets", "ls"])
        #expect(datasets.stdout.contains("bank") && datasets.stdout.contains("300"))
        // show: the dialect line and the profile (rows, target, one line per column); --json has both as JSON text.
        let shown = try churn(["datasets", "show", "bank"])
        #expect(shown.stdout.contains("\ndialect:     comma-separated, UTF-8\n"), "\(shown.stdout)")
        #expect(
            shown.stdout.contains("profile:\nbank: 300 rows, 14 columns (comma-separated, UTF-8)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("target Exited: \"1\" (churned)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Geography") && shown.stdout.contains("categorical"))
        let shownJSON =
            try JSONSerialization.jsonObject(with: Data(churn(["datasets", "show", "bank", "--json"]).stdout.utf8))
            as? [String: Any]
        let profileText = try #require(shownJSON?["profile"] as? String)
        let profile = try JSONSerialization.jsonObject(with: Data(profileText.utf8)) as? [String: Any]
        #expect(profile?["rows"] as? Int == 300)

        let first = try churn(["models", "publish", model, "--name", "churn", "--tag", "team=risk"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("published churn@1"))
        let second = try churn(["models", "publish", model, "--name", "churn", "--alias", "production", "--json"])
        #expect(second.status == 0)
        let record = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
        #expect(record?["version"] as? Int == 2)
        #expect(record?["aliases"] as? [String] == ["production"])

        let names = try churn(["models", "ls"])
        #expect(names.stdout.contains("churn") && names.stdout.contains("production=2"))
        let versions = try churn(["models", "ls", "churn"])
        #expect(versions.stdout.split(separator: "\n").count == 3)  // heading + 2 versions
        let show = try churn(["models", "show", "churn@production"])
        #expect(show.stdout.contains("version:         2"))
        let search = try churn(["models", "search", "name = \"churn\" and tags.team = \"risk\"", "--json"])
        let hits = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]]
        #expect(hits?.compactMap { $0["version"] as? Int } == [1])

        #expect(
            try churn(["models", "alias", "set", "churn", "staging", "1"]).stdout.contains("churn@staging: none -> 1"))
        let history = try churn(["models", "history", "churn"])
        #expect(history.stdout.contains("staging") && history.stdout.contains("production"))

        let fetched = directory.appendingPathComponent("fetched.bundle").path
        #expect(try churn(["models", "fetch", "churn@2", "--out", fetched]).status == 0)
        #expect(FileManager.default.contents(atPath: fetched) == FileManager.default.contents(atPath: model))
        let fetchedCSV = directory.appendingPathComponent("fetched.csv").path
        #expect(try churn(["datasets", "fetch", "bank", "--out", fetchedCSV]).status == 0)
        #expect(FileManager.default.contents(atPath: fetchedCSV) == FileManager.default.contents(atPath: csv))

        let refused = try churn(["models", "rm", "churn@1"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("staging"))
        #expect(try churn(["models", "alias", "rm", "churn", "staging"]).status == 0)
        #expect(try churn(["models", "rm", "churn@1"]).stdout.contains("deleted churn@1"))

        let missing = try churn(["models", "show", "nosuch@3"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: ") && missing.stderr.contains("not found"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let unreachable = try ChurnProcess.run(["models", "ls", "--registry", "127.0.0.1:1"])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot reach the registry"))
    }
}
