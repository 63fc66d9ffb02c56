import ArgumentParser
import Foundation
import Gateway
import Logging
import ServiceKit
import ServiceLifecycle
import Wire

/// `churn serve gateway`: the people-facing part over HTTP — the predict form, batch scoring, the
/// models dashboard and the JSON API under `/api/v1/` — calling the predictor, registry (and
/// trainer) over the wire protocol.
struct ServeGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve the web pages and the JSON API over HTTP (calls the predictor and registry over the wire).",
        discussion: """
            Pages: /predict, /batch, /models, /datasets, /training. JSON: POST /api/v1/predict, GET /api/v1/model, \
            /api/v1/models…, /api/v1/datasets… (POST streams a CSV body to the registry); /healthz, /readyz, /metrics. Writes (alias moves, promotion) need the token when one \
            is set (--token-file or CHURN_TOKEN): HTTP callers send "Authorization: Bearer TOKEN".
            """
    )

    @Option(name: .long, help: "HTTP address to listen on, HOST:PORT (port 0 picks a free port).")
    var listen: String = "127.0.0.1:8080"

    @Option(
        name: .long,
        help:
            "The predictor, HOST:PORT, or replicas HOST:PORT,HOST:PORT… to balance over (each leaves the rotation while it fails). A HOST that is a DNS name stands for every address it resolves to, looked up again every 3 s (docker compose --scale, a Kubernetes headless Service)."
    )
    var predictor: String = "127.0.0.1:7402"

    @Option(
        name: .long,
        help:
            "The registry, HOST:PORT, or replicas HOST:PORT,HOST:PORT… to balance over; a DNS name stands for every address it resolves to."
    )
    var registry: String = "127.0.0.1:7400"

    @Option(
        name: .long,
        help:
            "The trainer, HOST:PORT, or replicas HOST:PORT,HOST:PORT… to balance over; a DNS name stands for every address it resolves to (optional)."
    )
    var trainer: String?

    @Option(
        name: .long, help: "File holding the shared token (else the CHURN_TOKEN environment variable; else no token).")
    var tokenFile: String?

    @Option(name: .long, help: "Largest number of rows one prediction request or upload may carry.")
    var maxRows: Int = 100_000

    @Option(name: .long, help: "Largest HTTP request body in bytes.")
    var maxBodyBytes: Int = 32 * 1024 * 1024

    @Option(
        name: .long,
        help:
            "Largest dataset upload in bytes (POST /api/v1/datasets, the Datasets page); streamed, not held in memory.")
    var maxUploadBytes: Int = 1 << 30

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if ListenAddress(parsing: listen) == nil { throw ValidationError("--listen '\(listen)' is not HOST:PORT") }
        for (role, value) in [("predictor", predictor), ("registry", registry)]
            + (trainer.map { [("trainer", $0)] } ?? [])
        {
            do {
                _ = try RoleEndpoints(parsing: value, role: role)
            } catch {
                throw ValidationError("--\(role): \(error)")
            }
        }
        guard maxRows >= 1, maxBodyBytes >= 1024 else {
            throw ValidationError("--max-rows must be ≥ 1 and --max-body-bytes ≥ 1024")
        }
        guard maxUploadBytes >= 1 else { throw ValidationError("--max-upload-bytes must be ≥ 1") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        guard let listenAddress = ListenAddress(parsing: listen),
            let predictorAddress = try? RoleEndpoints(parsing: predictor, role: "predictor"),
            let registryEndpoints = try? RoleEndpoints(parsing: registry, role: "registry"),
            let level = Logger.Level(rawValue: logLevel)
        else { throw ValidationError("addresses must be HOST:PORT") }
        var configuration = GatewayConfiguration(
            listen: listenAddress, predictor: predictorAddress, registry: registryEndpoints,
            trainer: trainer.flatMap { try? RoleEndpoints(parsing: $0, role: "trainer") },
            token: try ServeOptions.token(file: tokenFile))
        configuration.maxRows = maxRows
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxUploadBytes = maxUploadBytes

        let metrics = ServeRunner.bootstrap(level: level)
        let logger = Logger(label: "churn.gateway")

        let gateway = Gateway(configuration: configuration, metrics: metrics, logger: logger)
        let host = listenAddress.host
        let services = gateway.services { port in
            ServeRunner.say("churn serve gateway listening on \(host):\(port)")
            ServeRunner.say("open http://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
        }
        try await ServeRunner.runGroup(services, logger: logger)
    }
}
