import Foundation
import NIOCore
import ServiceKit
import Wire

/// The attempts of `churn-chaos security` and their outcome: each attempt prints one line
/// (`refused …` or `FAILED …`) and failures are kept for the summary.
package struct ChaosSecurityReport {
    /// Attempts made.
    package private(set) var attempts = 0
    /// One line per attempt that was accepted or refused for the wrong reason.
    package private(set) var failures: [String] = []

    /// A report with no attempts yet.
    package init() {}

    private mutating func record(
        _ what: String, refusedWith code: WireErrorCode?, detail: String, expected: Set<WireErrorCode>? = nil
    ) {
        attempts += 1
        guard let code else {
            failures.append("\(what): ACCEPTED")
            ChaosSupport.emit("FAILED   \(what): accepted")
            return
        }
        if let expected, !expected.contains(code) {
            failures.append("\(what): refused with \(code) instead of \(expected.map(\.description).sorted())")
            ChaosSupport.emit("FAILED   \(what): refused with \(code)(\(code.rawValue)) \(detail)")
            return
        }
        ChaosSupport.emit("refused  \(what): \(code)(\(code.rawValue)) \(detail)")
    }

    private static func short(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\u{0}", with: "\\0")
        return clean.count > 160 ? String(clean.prefix(160)) + "…" : clean
    }

    /// Sends `body` under `opcode` and records the outcome.
    private mutating func send(
        _ what: String, client: WireClient, opcode: Opcode, body: ByteBuffer, expected: Set<WireErrorCode>?
    ) async {
        do {
            _ = try await client.request(opcode: opcode, body: body)
            record(what, refusedWith: nil, detail: "")
        } catch let WireClientError.server(code, message, field) {
            record(
                what, refusedWith: code,
                detail: "\"\(Self.short(message))\"" + (field.map { " field=\(Self.short($0))" } ?? ""),
                expected: expected)
        } catch {
            // A closed connection is a refusal too, but not the one a missing token must get.
            attempts += 1
            failures.append("\(what): \(error)")
            ChaosSupport.emit("FAILED   \(what): \(error)")
        }
    }

    /// Every write of `role` on a connection without a token: each must be `unauthorized`.
    package mutating func tryWithoutToken(role: String, address: ListenAddress, writes: [ChaosSecurityAttempts.Write])
        async
    {
        let configuration = ChaosSupport.configuration(name: "security", token: nil)
        guard
            let client = try? await WireClient.connect(
                host: address.host, port: address.port, configuration: configuration)
        else {
            attempts += 1
            failures.append("\(role): cannot connect without a token")
            ChaosSupport.emit("FAILED   \(role): cannot connect without a token")
            return
        }
        for write in writes {
            // A role that does not serve an opcode at all refuses it as unknown, token or not.
            let expected: Set<WireErrorCode> =
                write.opcode.isCommon && role != "registry" ? [.unauthorized, .unknownOpcode] : [.unauthorized]
            await send(
                "\(role) \(write.opcode.hex) \(write.name) without token", client: client, opcode: write.opcode,
                body: write.body, expected: expected)
        }
        await client.close()
    }

    /// Hello with a wrong token must be refused (`unauthorized`, connection closed); were it not,
    /// every write is tried on that connection.
    package mutating func tryWrongToken(
        role: String, address: ListenAddress, writes: [ChaosSecurityAttempts.Write], token: String
    ) async {
        for (label, wrong) in [
            ("wrong token", token + "x"), ("empty-ish token", " "), ("prefix token", String(token.dropLast())),
        ] {
            let configuration = ChaosSupport.configuration(name: "security", token: wrong)
            do {
                let client = try await WireClient.connect(
                    host: address.host, port: address.port, configuration: configuration)
                if !client.hello.authorized {
                    record(
                        "\(role) Hello with \(label)", refusedWith: .unauthorized, detail: "(connection not authorized)"
                    )
                    await client.close()
                    continue
                }
                record("\(role) Hello with \(label)", refusedWith: nil, detail: "")
                for write in writes {
                    await send(
                        "\(role) \(write.opcode.hex) \(write.name) with \(label)", client: client, opcode: write.opcode,
                        body: write.body, expected: [.unauthorized])
                }
                await client.close()
            } catch let WireClientError.server(code, message, _) {
                record(
                    "\(role) Hello with \(label)", refusedWith: code, detail: "\"\(Self.short(message))\"",
                    expected: [.unauthorized])
            } catch {
                attempts += 1
                failures.append("\(role) Hello with \(label): \(error)")
                ChaosSupport.emit("FAILED   \(role) Hello with \(label): \(error)")
            }
        }
    }

    /// Hello with a 10 kB client name and with a 10 kB token: refused before Hello completes.
    package mutating func tryOversizeHello(role: String, address: ListenAddress, token: String) async {
        let long = String(repeating: "n", count: 10_240)
        for (label, name, helloToken) in [("10 kB client name", long, token), ("10 kB token", "chaos", long)] {
            var configuration = ChaosSupport.configuration(name: "security", token: helloToken)
            configuration.clientName = name
            attempts += 1
            do {
                let client = try await WireClient.connect(
                    host: address.host, port: address.port, configuration: configuration)
                failures.append("\(role) Hello with \(label): ACCEPTED")
                ChaosSupport.emit("FAILED   \(role) Hello with \(label): accepted")
                await client.close()
            } catch {
                ChaosSupport.emit("refused  \(role) Hello with \(label): \(Self.short("\(error)"))")
            }
        }
    }

    /// With the right token, every name field of the registry and trainer writes given each hostile
    /// name: each must be refused (`invalidRequest`, or `notFound` for a reference), and nothing
    /// may be created under a hostile name.
    package mutating func tryHostileNames(registry: ListenAddress, trainer: ListenAddress, token: String) async {
        let configuration = ChaosSupport.configuration(name: "security", token: token)
        guard
            let registryClient = try? await RegistryClient.connect(
                host: registry.host, port: registry.port, configuration: configuration),
            let trainerClient = try? await TrainerClient.connect(
                host: trainer.host, port: trainer.port, configuration: configuration)
        else {
            attempts += 1
            failures.append("cannot connect with the token")
            ChaosSupport.emit("FAILED   cannot connect to the registry and trainer with the token")
            return
        }
        let datasetSHA = (try? await registryClient.datasets().first?.sha256) ?? String(repeating: "0", count: 64)
        let refused: Set<WireErrorCode> = [.invalidRequest, .notFound]
        for (label, name) in ChaosSecurityAttempts.hostileNames {
            let calls: [(String, Opcode, (any Encodable)?)] = [
                ("DatasetRegister name", .datasetRegister, DatasetRegisterRequest(name: name, sha256: datasetSHA)),
                ("ModelPublish name", .modelPublish, ModelPublishRequest(name: name, sha256: datasetSHA)),
                (
                    "ModelPublish tag key", .modelPublish,
                    ModelPublishRequest(name: "chaos-sec", sha256: datasetSHA, tags: [name: "x"])
                ),
                (
                    "ModelPublish alias", .modelPublish,
                    ModelPublishRequest(name: "chaos-sec", sha256: datasetSHA, alias: name)
                ),
                ("AliasSet name", .aliasSet, AliasSetRequest(name: name, alias: "production", version: 1)),
                ("AliasSet alias", .aliasSet, AliasSetRequest(name: "churn", alias: name, version: 1)),
                ("AliasRemove alias", .aliasRemove, AliasRemoveRequest(name: "churn", alias: name)),
                ("ModelDelete name", .modelDelete, ModelDeleteRequest(name: name, version: 1)),
                (
                    "DeploymentReport name", .deploymentReport,
                    DeploymentReportRequest(instance: "chaos", name: name, version: 1)
                ),
                ("ModelShow reference", .modelShow, ModelShowRequest(reference: name)),
                ("DatasetShow reference", .datasetShow, DatasetShowRequest(reference: name)),
            ]
            for (field, opcode, request) in calls {
                guard let request, let body = try? JSONDocument(encoding: request).encodedBody() else { continue }
                await send(
                    "registry \(opcode.hex) \(field) = \(label)", client: registryClient.wire, opcode: opcode,
                    body: body, expected: refused)
            }
            let jobs: [(String, SubmitJobRequest)] = [
                ("SubmitJob dataset", SubmitJobRequest(dataset: name, modelName: "chaos-sec")),
                ("SubmitJob model_name", SubmitJobRequest(dataset: "bank", modelName: name)),
                ("SubmitJob tag key", SubmitJobRequest(dataset: "bank", modelName: "chaos-sec", tags: [name: "x"])),
            ]
            for (field, request) in jobs {
                guard let body = try? JSONDocument(encoding: request).encodedBody() else { continue }
                await send(
                    "trainer \(Opcode.submitJob.hex) \(field) = \(label)", client: trainerClient.wire,
                    opcode: .submitJob, body: body, expected: refused)
            }
        }
        // Nothing may exist under a name the rules forbid.
        let datasets = (try? await registryClient.datasets()) ?? []
        let models = (try? await registryClient.call(ModelListRequest()).models) ?? []
        let names = datasets.map(\.name) + models.map(\.name)
        attempts += 1
        let bad = names.filter { name in
            name.contains("/") || name.contains("\u{0}") || name.utf8.count > 128 || name.hasPrefix(".")
                || name.hasPrefix("-")
        }
        if bad.isEmpty {
            ChaosSupport.emit(
                "refused  registry state: no dataset or model has a forbidden name (\(names.count) names checked)")
        } else {
            failures.append("registry holds forbidden names: \(bad.map(Self.short))")
            ChaosSupport.emit("FAILED   registry holds forbidden names: \(bad.map(Self.short))")
        }
        await registryClient.close()
        await trainerClient.close()
    }
}
