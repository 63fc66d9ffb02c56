import Foundation
import Testing

/// Registry address lists on the command line: `--registry dead,live` reaches the live registry,
/// bad lists are refused naming the entry, `churn health` checks every address.
@Suite("Registry failover CLI", .serialized)
struct RegistryFailoverCLITests {
    /// An address nothing listens on: a server started and stopped.
    static func deadAddress() throws -> String {
        let server = try ServerProcess(role: "base")
        let address = server.address
        server.stop()
        return address
    }

    @Test("datasets push/ls with --registry DEAD,LIVE use the live registry; all dead names each address")
    func firstThatAnswers() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dead = try Self.deadAddress()
        let server = try RegistryProcess(dataDirectory: directory.appendingPathComponent("data").path)
        defer { server.stop() }
        let list = "\(dead),\(server.address)"
        let csv = directory.appendingPathComponent("bank.csv").path
        #expect(try ChurnProcess.run(["synth", "--rows", "120", "--seed", "5", "--out", csv]).status == 0)

        let push = try ChurnProcess.run(["datasets", "push", csv, "--name", "bank", "--registry", list])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("pushed bank@"))
        let listed = try ChurnProcess.run(["datasets", "ls", "--json", "--registry", list])
        #expect(listed.status == 0, "\(listed.stderr)")
        let records = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(records?.compactMap { $0["name"] as? String } == ["bank"])
        #expect(records?.first?["rows"] as? Int == 120)

        let dead2 = try Self.deadAddress()
        let none = try ChurnProcess.run(["datasets", "ls", "--registry", "\(dead),\(dead2)"])
        #expect(none.status == 1)
        let line = none.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        // The pool tries the replicas in a random order; the message names each with its reason.
        #expect(line.hasPrefix("error: cannot reach the registry: no registry answered: "), "\(line)")
        #expect(line.contains("\(dead) (") && line.contains("\(dead2) ("), "\(line)")
        #expect(!line.contains("\n"), "one line")
    }

    @Test("bad registry lists are refused with the entry named, in every command that takes one")
    func badLists() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [(arguments: [String], message: String)] = [
            (
                ["datasets", "ls", "--registry", "127.0.0.1:7400,nope,127.0.0.1:7401"],
                "registry address 'nope' (entry 2 of 3) is not HOST:PORT"
            ),
            (
                ["models", "ls", "--registry", "a:7400,b:7400,a:7400"],
                "registry address 'a:7400' (entry 3 of 3) repeats entry 1"
            ),
            (["models", "ls", "--registry", ""], "registry address list is empty"),
            (
                ["serve", "trainer", "--data-dir", directory.path, "--registry", "a:1,b"],
                "registry address 'b' (entry 2 of 2) is not HOST:PORT"
            ),
            (
                ["serve", "predictor", "--registry", "a:1,a:99999"],
                "registry address 'a:99999' (entry 2 of 2) is not HOST:PORT"
            ),
            (["serve", "gateway", "--registry", "a:1,,b:2"], "registry address '' (entry 2 of 3) is not HOST:PORT"),
            // Each role's list is named as that role's (not as a registry's).
            (
                ["serve", "gateway", "--predictor", "p:1,p:1"],
                "--predictor: predictor address 'p:1' (entry 2 of 2) repeats entry 1"
            ),
            (["jobs", "ls", "--trainer", "t"], "trainer address 't' (entry 1 of 1) is not HOST:PORT"),
        ]
        for (arguments, message) in cases {
            let result = try ChurnProcess.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test("churn health with a list reports each address on its own line; exit 1 unless all serve")
    func healthOfEachAddress() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dead = try Self.deadAddress()
        let server = try RegistryProcess(dataDirectory: directory.appendingPathComponent("data").path)
        defer { server.stop() }

        let mixed = try ChurnProcess.run(["health", "--addr", "\(server.address),\(dead)"])
        #expect(mixed.status == 1)
        let lines = mixed.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(mixed.stdout)")
        // The registry's Health detail names its stores and whether each is reachable.
        let storeState =
            ": metadata: SQLite \(directory.appendingPathComponent("data").path)/index.sqlite reachable; "
            + "blobs: files \(directory.appendingPathComponent("data").path) reachable"
        #expect(lines.first == "\(server.address): serving (registry)" + storeState)
        #expect(lines.last?.hasPrefix("\(dead): unreachable") == true, "\(mixed.stdout)")

        let json = try ChurnProcess.run(["health", "--addr", "\(dead),\(server.address)", "--json"])
        let outcomes = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(outcomes?.compactMap { $0["address"] as? String } == [dead, server.address])
        #expect(outcomes?.compactMap { $0["serving"] as? Bool } == [false, true])

        let one = try ChurnProcess.run(["health", "--addr", server.address])
        #expect(one.status == 0)
        #expect(one.stdout == "\(server.address): serving (registry)" + storeState + "\n")
    }
}
