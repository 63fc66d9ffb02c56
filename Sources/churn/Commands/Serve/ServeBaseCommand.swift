import ArgumentParser
import ServiceKit

/// `churn serve base`: a server with only the common opcodes (Hello, Ping, Stats, Health,
/// Subscribe, in-memory blob transfer) — for diagnostics and protocol conformance tests.
struct ServeBaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base",
        abstract: "Serve only the common opcodes (diagnostics, protocol conformance, benchmarks)."
    )

    @OptionGroup var options: ServeOptions

    @Option(name: .long, help: "Bytes of memory for blob uploads.")
    var blobBudget: Int = 64 * 1024 * 1024

    func run() async throws {
        try await ServeRunner.run(options: options, role: "base", handler: MemoryBlobHandler(budgetBytes: blobBudget))
    }
}
