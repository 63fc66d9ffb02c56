import ArgumentParser

/// `churn predictions …`: what predictors logged (`serve predictor --log-dir`).
struct PredictionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictions",
        abstract: "Read the predictions a predictor logged (churn serve predictor --log-dir DIR).",
        subcommands: [PredictionsLogCommand.self]
    )
}
