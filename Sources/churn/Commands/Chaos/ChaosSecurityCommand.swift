import ArgumentParser
import Foundation
import NIOCore
import ServiceKit
import Wire

/// `churn chaos security`: every state-changing opcode of every role tried without a token and
/// with a wrong one, then — with the right token — every name field given hostile names (`../`,
/// NUL, 10 kB, absolute paths…). One line per attempt with the refusal received; exits 1 when any
/// attempt was accepted (or refused for the wrong reason: a missing token must be `unauthorized`).
struct ChaosSecurityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "security", abstract: "Try every write without/with a wrong token and hostile names; one line per attempt.")

    @Option(name: .long, help: "Registry address, HOST:PORT (of a replica list, the first is used).") var registry: String = "127.0.0.1:7400"
    @Option(name: .long, help: "Trainer address, HOST:PORT.") var trainer: String = "127.0.0.1:7401"
    @Option(name: .long, help: "Predictor address, HOST:PORT.") var predictor: String = "127.0.0.1:7402"
    @Option(name: .long, help: "File holding the right token (else CHURN_TOKEN).") var tokenFile: String?

    func run() async throws {
        guard let token = try ChaosSupport.token(file: tokenFile) else {
            throw ValidationError("the services must have a token: give --token-file or CHURN_TOKEN")
        }
        let roles: [(String, ListenAddress)] = [
            ("registry", try ChaosSupport.registryAddress(registry)),
            ("trainer", try ChaosSupport.address(trainer, flag: "trainer")),
            ("predictor", try ChaosSupport.address(predictor, flag: "predictor")),
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
        print(ChaosSupport.json([
            ("attempts", "\(report.attempts)"), ("refused", "\(report.attempts - report.failures.count)"),
            ("accepted_or_wrong", "\(report.failures.count)"),
            ("failures", "[" + report.failures.prefix(20).map(ChaosSupport.quoted).joined(separator: ", ") + "]"),
        ]))
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}

/// The attempts `churn chaos security` makes and the names it tries.
enum ChaosSecurityAttempts {
    /// Hostile values for name fields: traversal, NUL, 10 kB, absolute paths, bad first characters.
    static let hostileNames: [(String, String)] = [
        ("traversal", "../../../../tmp/chaos-escape"), ("dotdot", ".."), ("inner-traversal", "a/../../b"),
        ("absolute", "/etc/passwd"), ("nul", "chaos\u{0}nul"), ("long-10k", String(repeating: "a", count: 10_240)),
        ("leading-dash", "-rf"), ("newline", "a\nb"), ("empty", ""),
    ]

    /// A state-changing request of `role`: its opcode and a plausible body.
    struct Write {
        /// The opcode's name for the report.
        var name: String
        /// The opcode.
        var opcode: Opcode
        /// The body.
        var body: ByteBuffer
    }

    /// Every state-changing opcode `role` serves (the common blob opcodes included) with a valid body.
    static func writes(role: String) -> [Write] {
        let digest = BlobDigest(hashing: Array("chaos".utf8))
        var chunk = ByteBufferAllocator().buffer(capacity: 5)
        chunk.writeString("chaos")
        var writes = [
            Write(name: "BlobUploadBegin", opcode: .blobUploadBegin,
                  body: BlobUploadBeginRequest(name: "chaos", size: 5, digest: digest).encodedBody()),
            Write(name: "BlobUploadChunk", opcode: .blobUploadChunk,
                  body: BlobUploadChunkRequest(uploadID: 1, offset: 0, data: chunk).encodedBody()),
            Write(name: "BlobUploadCommit", opcode: .blobUploadCommit, body: BlobUploadCommitRequest(uploadID: 1).encodedBody()),
        ]
        func json(_ name: String, _ opcode: Opcode, _ value: some Encodable) -> Write? {
            (try? JSONDocument(encoding: value).encodedBody()).map { Write(name: name, opcode: opcode, body: $0) }
        }
        switch role {
        case "registry":
            let sha = digest.hex
            writes += [
                json("DatasetRegister", .datasetRegister, DatasetRegisterRequest(name: "chaos-sec", sha256: sha)),
                json("ModelPublish", .modelPublish, ModelPublishRequest(name: "chaos-sec", sha256: sha)),
                json("ModelDelete", .modelDelete, ModelDeleteRequest(name: "churn", version: 1)),
                json("AliasSet", .aliasSet, AliasSetRequest(name: "churn", alias: "production", version: 1)),
                json("AliasRemove", .aliasRemove, AliasRemoveRequest(name: "churn", alias: "production")),
                json("GC", .registryGC, GCRequest(dryRun: false)),
                json("DeploymentReport", .deploymentReport, DeploymentReportRequest(instance: "chaos", name: "churn", version: 1)),
            ].compactMap { $0 }
            var inline = ByteBufferAllocator().buffer(capacity: 64)
            if let document = try? JSONDocument(encoding: ModelPublishRequest(name: "chaos-sec", sha256: sha)).encodedBody() {
                var document = document
                inline.writeBuffer(&document)
                inline.writeInteger(UInt32(5))
                inline.writeString("chaos")
                writes.append(Write(name: "ModelPublishInline", opcode: .modelPublishInline, body: inline))
            }
        case "trainer":
            writes += [
                json("SubmitJob", .submitJob, SubmitJobRequest(dataset: "bank", modelName: "chaos-sec")),
                json("CancelJob", .cancelJob, CancelJobRequest(id: 1)),
            ].compactMap { $0 }
        case "predictor":
            writes.append(Write(name: "PredictorReload", opcode: .predictorReload, body: PredictorReloadRequest().encodedBody()))
        default:
            break
        }
        return writes
    }
}
