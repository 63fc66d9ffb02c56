import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// `churn health`: asks any Churn server whether it is serving — the containers' healthcheck.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that a Churn server is serving (exit 0) or not (exit 1).",
        discussion: "Connects, says Hello and asks Health. Degraded, draining or unreachable servers exit 1.")

    @Option(help: "Server address, HOST:PORT.")
    var addr: String = "127.0.0.1:7400"

    @Option(help: "Keep retrying for this many seconds until the server is serving.")
    var wait: Double = 0

    @Flag(help: "Print the answer as JSON.")
    var json = false

    func run() async throws {
        guard let address = ListenAddress(parsing: addr) else { throw ValidationError("--addr '\(addr)' is not HOST:PORT") }
        let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, wait) * 1000))
        var outcome = await Self.probe(address)
        while !outcome.serving, ContinuousClock.now < deadline {
            try await Task.sleep(nanoseconds: 200_000_000)
            outcome = await Self.probe(address)
        }
        if json {
            try JSONOutput.print(outcome)
        } else {
            print("\(address): \(outcome.status)\(outcome.role.map { " (\($0))" } ?? "")\(outcome.detail.isEmpty ? "" : ": \(outcome.detail)")")
        }
        if !outcome.serving { throw ExitCode(1) }
    }

    /// One Hello + Health round trip.
    static func probe(_ address: ListenAddress) async -> HealthOutcome {
        var configuration = WireClientConfiguration(
            clientName: "churn-health", token: ProcessInfo.processInfo.environment["CHURN_TOKEN"])
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = .seconds(2)
        do {
            let client = try await WireClient.connect(host: address.host, port: address.port, configuration: configuration)
            defer { Task { await client.close() } }
            let health = try await client.send(HealthRequest())
            let status = switch health.status {
            case .serving: "serving"
            case .degraded: "degraded"
            case .draining: "draining"
            }
            return HealthOutcome(status: status, detail: health.detail, role: client.hello.role, serving: health.status == .serving)
        } catch {
            return HealthOutcome(status: "unreachable", detail: "\(error)", role: nil, serving: false)
        }
    }
}

/// What `churn health --json` prints.
struct HealthOutcome: Encodable {
    var status: String
    var detail: String
    var role: String?
    var serving: Bool
}
