import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// Options shared by every trainer client command (`churn jobs …`).
struct TrainerOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Trainer address HOST:PORT, or trainers sharing a job queue HOST:PORT,HOST:PORT… to balance and fail over between (else CHURN_TRAINER, else 127.0.0.1:7401)."
    )
    var trainer: String?

    @Option(
        name: .long,
        help: "File holding the shared token (else CHURN_TOKEN; needed to submit or cancel when the trainer has one).")
    var tokenFile: String?

    @Flag(name: .long, help: "Print the records as JSON instead of text.")
    var json = false

    /// The trainers to use.
    func endpoints() throws -> RoleEndpoints {
        try ClientSession.endpoints(trainer, role: "trainer", variable: "CHURN_TRAINER", fallback: "127.0.0.1:7401")
    }

    /// The token from `--token-file` or `CHURN_TOKEN`, if any.
    func token() throws -> String? {
        try ServeOptions.token(file: tokenFile)
    }

    /// Runs `body` on a connection to a trainer (balanced across `--trainer`, moving to another
    /// when a connection fails; SubmitJob and CancelJob are re-sent with their keys, so they apply
    /// once); any failure is printed as one line on standard error and ends the command with exit
    /// status 1.
    func withClient<T: Sendable>(_ body: (TrainerClient) async throws -> T) async throws -> T {
        try await ClientSession.run(role: "trainer", endpoints: try endpoints(), token: try token(), body)
    }
}
