import ArgumentParser

/// `churn serve …`: run a server role.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a server role over the Churn wire protocol.",
        subcommands: [
            ServeBaseCommand.self,
            ServeRegistryCommand.self,
            ServeTrainerCommand.self,
            ServePredictorCommand.self,
            ServeGatewayCommand.self,
            ServeAllCommand.self,
        ]
    )
}
