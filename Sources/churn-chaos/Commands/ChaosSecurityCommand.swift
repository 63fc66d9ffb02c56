import ArgumentParser
import ChurnChaos
import Foundation
import NIOCore
import ServiceKit
import Wire

/// `churn-chaos security`: every state-changing opcode of every role tried without a token and
/// with a wrong one, then — with the right token — every name field given hostile names (`../`,
/// NUL, 10 kB, absolute paths…). One line per attempt with the refusal received; exits 1 when any
/// attempt was accepted (or refused for the wrong reason: a missing token must be `unauthorized`).
struct ChaosSecurityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "security",
        abstract: "Try every write without/with a wrong token and hostile names; one line per attempt.")

    @Option(name: .long, help: "Registry address, HOST:PORT (of a replica list, the first is used).") var registry:
        String = "127.0.0.1:7400"
    @Option(name: .long, help: "Trainer address, HOST:PORT.") var trainer: String = "127.0.0.1:7401"
    @Option(name: .long, help: "Predictor address, HOST:PORT.") var predictor: String = "127.0.0.1:7402"
    @Option(name: .long, help: "File holding the right token (else CHURN_TOKEN).") var tokenFile: String?

    func run() async throws {
        guard let token = try ChaosArguments.token(file: tokenFile) else {
            throw ValidationError("the services must have a token: give --token-file or CHURN_TOKEN")
        }
        let roles: [(String, ListenAddress)] = [
            ("registry", try ChaosArguments.registryAddress(registry)),
            ("trainer", try ChaosArguments.address(trainer, flag: "trainer")),
            ("predictor", try ChaosArguments.address(predictor, flag: "predictor")),
        ]
        var report = ChaosSecurityReport()
        for (role, address) in roles {
            let writes = ChaosSecurityAttempts.writes(role: role)
            await report.tryWithoutToken(role: role, address: address, writes: writes)
            await report.tryWrongToken(role: role, address: address, writes: writes, token: token)
            await report.tryOversizeHello(role: role, address: address, token: token)
        }
        if let registryAddress = roles.first?.1, let trainerAddress = roles.dropFirst().first?.1 {
            await report.tryHostileNames(registry: registryAddress, trainer: trainerAddress, token: token)
        }
        print(
            ChaosSupport.json([
                ("attempts", "\(report.attempts)"), ("refused", "\(report.attempts - report.failures.count)"),
                ("accepted_or_wrong", "\(report.failures.count)"),
                ("failures", "[" + report.failures.prefix(20).map(ChaosSupport.quoted).joined(separator: ", ") + "]"),
            ]))
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}
