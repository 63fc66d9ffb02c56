import ArgumentParser
import Wire

/// `churn models alias set|rm`.
struct ModelsAliasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Set, move or remove an alias.",
        subcommands: [ModelsAliasSetCommand.self, ModelsAliasRemoveCommand.self])

    /// One line describing a change.
    static func line(_ change: AliasChange) -> String {
        let from = change.fromVersion.map(String.init) ?? "none"
        let to = change.toVersion.map(String.init) ?? "none"
        return "\(change.name)@\(change.alias): \(from) -> \(to)"
    }
}

/// `churn models alias set NAME ALIAS VERSION`.
struct ModelsAliasSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Point an alias at a version.")

    @Argument(help: "Model name.") var name: String
    @Argument(help: "Alias.") var alias: String
    @Argument(help: "Version.") var version: Int
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let change = try await registry.withClient {
            try await $0.call(AliasSetRequest(name: name, alias: alias, version: version))
        }
        if registry.json { try JSONOutput.print(change) } else { print(ModelsAliasCommand.line(change)) }
    }
}

/// `churn models alias rm NAME ALIAS`.
struct ModelsAliasRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an alias.")

    @Argument(help: "Model name.") var name: String
    @Argument(help: "Alias.") var alias: String
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let change = try await registry.withClient { try await $0.call(AliasRemoveRequest(name: name, alias: alias)) }
        if registry.json { try JSONOutput.print(change) } else { print(ModelsAliasCommand.line(change)) }
    }
}

/// `churn models history NAME [--alias A]`.
struct ModelsHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show the alias history of a model.")

    @Argument(help: "Model name.") var name: String
    @Option(name: .long, help: "Only this alias.") var alias: String?
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let changes = try await registry.withClient {
            try await $0.call(AliasHistoryRequest(name: name, alias: alias)).items
        }
        if registry.json {
            try JSONOutput.print(changes)
            return
        }
        var table = TextTable(headings: ["WHEN", "ALIAS", "FROM", "TO", "WHO"])
        for change in changes {
            table.rows.append([
                change.created, change.alias, change.fromVersion.map(String.init) ?? "-",
                change.toVersion.map(String.init) ?? "-", change.who,
            ])
        }
        print(table.render())
    }
}
