import ArgumentParser

/// `churn bench …`: benchmark commands whose figures go into docs/performance.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training and serving speed.",
        subcommands: [
            BenchTrainCommand.self,
            BenchPingCommand.self,
            BenchPredictCommand.self,
            BenchRegistryCommand.self,
            BenchScoreCommand.self,
            BenchReadCommand.self,
        ]
    )
}
