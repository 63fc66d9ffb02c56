import ArgumentParser

/// The `churn-chaos` command: the reliability and security drills against running services
/// (scripts/chaos.sh and the registry drills, docs/reliability.md), kept out of `churn` the way
/// swift-nio keeps NIOCrashTester apart from its libraries. Each subcommand prints one summary
/// line (JSON) or one line per attempt, and exits non-zero when its check failed.
@main
struct ChurnChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn-chaos", abstract: "Reliability and security drills against running services.",
        subcommands: [
            ChaosLoadCommand.self, ChaosWriterCommand.self, ChaosVerifyCommand.self, ChaosHostileCommand.self,
            ChaosSecurityCommand.self, ChaosReplicasCommand.self, CrashDrillCommand.self,
        ])
}
