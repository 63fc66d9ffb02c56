import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// Options shared by every trainer client command (`churn jobs …`).
struct TrainerOptions: ParsableArguments {
    @Option(name: .long, help: "Trainer address HOST:PORT (else CHURN_TRAINER, else 127.0.0.1:7401).")
    var trainer: String?

    @Option(name: .long, help: "File holding the shared token (else CHURN_TOKEN; needed to submit or cancel when the trainer has one).")
    var tokenFile: String?

    @Flag(name: .long, help: "Print the records as JSON instead of text.")
    var json = false

    /// The trainer address to use.
    func address() throws -> ListenAddress {
        try ClientSession.address(trainer, variable: "CHURN_TRAINER", fallback: "127.0.0.1:7401", role: "trainer")
    }

    /// The token from `--token-file` or `CHURN_TOKEN`, if any.
    func token() throws -> String? {
        try ServeOptions.token(file: tokenFile)
    }

    /// Connects, runs `body`, closes; any failure is printed as one line on standard error and
    /// ends the command with exit status 1.
    func withClient<T>(_ body: (TrainerClient) async throws -> T) async throws -> T {
        let address = try address()
        return try await ClientSession.run(
            role: "trainer", address: address,
            connect: { try await TrainerClient.connect(host: address.host, port: address.port, configuration: $0) },
            close: { await $0.close() }, token: try token(), body)
    }
}
