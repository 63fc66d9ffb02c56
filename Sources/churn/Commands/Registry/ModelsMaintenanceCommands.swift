import ArgumentParser
import Wire

/// `churn models rm NAME@VERSION`.
struct ModelsRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Delete one model version (refused while an alias points at it).")

    @Argument(help: "NAME@VERSION.") var reference: String
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        guard let at = reference.lastIndex(of: "@"), let version = Int(reference[reference.index(after: at)...]) else {
            throw ValidationError("'\(reference)' is not NAME@VERSION")
        }
        let name = String(reference[..<at])
        let deleted = try await registry.withClient {
            try await $0.call(ModelDeleteRequest(name: name, version: version))
        }
        if registry.json { try JSONOutput.print(deleted) } else { print("deleted \(deleted.reference)") }
    }
}

/// `churn models gc [--dry-run]`.
struct ModelsGCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "Remove blobs nothing references.")

    @Flag(name: .long, help: "Only report what would be removed.") var dryRun = false
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let report = try await registry.withClient { try await $0.call(GCRequest(dryRun: dryRun)) }
        if registry.json {
            try JSONOutput.print(report)
            return
        }
        print(
            (dryRun ? "would remove" : "removed")
                + " \(report.unreferenced.count) blobs (\(report.bytes) bytes); kept \(report.kept)")
        for digest in report.unreferenced { print("  \(digest)") }
    }
}
