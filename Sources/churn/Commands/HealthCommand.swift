import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// `churn health`: asks any Churn server whether it is serving — the containers' healthcheck.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that a Churn server is serving (exit 0) or not (exit 1).",
        discussion:
            "Connects, says Hello and asks Health. Degraded, draining or unreachable servers exit 1. With several addresses (registry replicas) each is checked and reported on its own line; any one not serving exits 1."
    )

    @Option(help: "Server address, HOST:PORT, or several comma-separated (registry replicas: each is checked).")
    var addr: String = "127.0.0.1:7400"

    @Option(help: "Keep retrying for this many seconds until the server is serving.")
    var wait: Double = 0

    @Flag(help: "Print the answer as JSON (with several addresses: an array, each with its address).")
    var json = false

    func run() async throws {
        let addresses = try Self.addresses(addr)
        let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, wait) * 1000))
        // Each address on its own line, in the order given; the exit status is 0 only when all serve.
        var outcomes: [HealthOutcome] = []
        for address in addresses {
            var outcome = await Self.probe(address)
            while !outcome.serving, ContinuousClock.now < deadline {
                try await Task.sleep(nanoseconds: 200_000_000)
                outcome = await Self.probe(address)
            }
            if addresses.count > 1 { outcome.address = address.description }
            if !json {
                print(
                    "\(address): \(outcome.status)\(outcome.role.map { " (\($0))" } ?? "")\(outcome.detail.isEmpty ? "" : ": \(outcome.detail)")"
                )
            }
            outcomes.append(outcome)
        }
        if json {
            if outcomes.count == 1 { try JSONOutput.print(outcomes[0]) } else { try JSONOutput.print(outcomes) }
        }
        if !outcomes.allSatisfy(\.serving) { throw ExitCode(1) }
    }

    /// The addresses of `--addr`: one HOST:PORT of any role, or a comma-separated list (registry
    /// replicas), each entry checked with an error naming it.
    static func addresses(_ text: String) throws -> [ListenAddress] {
        guard text.contains(",") else {
            guard let address = ListenAddress(parsing: text) else {
                throw ValidationError("--addr '\(text)' is not HOST:PORT")
            }
            return [address]
        }
        do {
            return try RoleEndpoints(parsing: text, role: "service").listenAddresses
        } catch {
            throw ValidationError("--addr: \(error)")
        }
    }

    /// One Hello + Health round trip.
    static func probe(_ address: ListenAddress) async -> HealthOutcome {
        var configuration = WireClientConfiguration(
            clientName: "churn-health", token: ProcessInfo.processInfo.environment["CHURN_TOKEN"])
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = .seconds(2)
        do {
            let client = try await WireClient.connect(
                host: address.host, port: address.port, configuration: configuration)
            let health = try await withClosing {
                try await client.send(HealthRequest())
            } close: {
                await client.close()
            }
            let status =
                switch health.status {
                case .serving: "serving"
                case .degraded: "degraded"
                case .draining: "draining"
                }
            return HealthOutcome(
                status: status, detail: health.detail, role: client.hello.role, serving: health.status == .serving)
        } catch {
            return HealthOutcome(status: "unreachable", detail: "\(error)", role: nil, serving: false)
        }
    }
}

/// What `churn health --json` prints (an array of them, each with its address, for several addresses).
struct HealthOutcome: Encodable {
    /// The address checked, set only when several were given.
    var address: String?
    var status: String
    var detail: String
    var role: String?
    var serving: Bool
}
