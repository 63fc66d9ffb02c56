import ArgumentParser

/// `churn chaos …` (hidden): the halves of the reliability suite that need the wire client
/// (scripts/chaos.sh, docs/reliability.md). Each subcommand prints one summary line (JSON) or one
/// line per attempt, and exits non-zero when its check failed.
struct ChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos", abstract: "Reliability and security drills against running services.", shouldDisplay: false,
        subcommands: [
            ChaosLoadCommand.self, ChaosWriterCommand.self, ChaosVerifyCommand.self, ChaosHostileCommand.self,
            ChaosSecurityCommand.self, ChaosReplicasCommand.self,
        ])
}
