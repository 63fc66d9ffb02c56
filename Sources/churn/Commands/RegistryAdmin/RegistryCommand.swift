import ArgumentParser

/// `churn registry …`: administration of a registry's storage (as opposed to `churn models` and
/// `churn datasets`, which talk to a running registry).
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Administer a registry's storage.",
        subcommands: [RegistryMigrateCommand.self])
}
