import Foundation
import NIOCore
import Registry
import ServiceKit
import Wire

/// The upload and data cases of `churn-chaos hostile --role registry` (with the token): truncated
/// chunked uploads (connection dropped mid-upload, and commits short of the announced size),
/// blobs and bundles with wrong checksums, a bundle whose own content checksum is wrong, and —
/// with a trainer — every ``ChaosCSVCases`` file pushed and trained. Each must be refused or fail
/// cleanly while the services keep answering.
package struct ChaosHostileExtras: Sendable {
    /// The registry under test.
    package let registry: ListenAddress
    /// The trainer that trains the CSV cases (none: they are skipped).
    package let trainer: ListenAddress?
    /// The services' token.
    package let token: String

    /// The cases against `registry` (and, when given, `trainer`) with the services' `token`.
    package init(registry: ListenAddress, trainer: ListenAddress?, token: String) {
        self.registry = registry
        self.trainer = trainer
        self.token = token
    }

    /// JSON fields for the summary and the problems found.
    package struct Outcome: Sendable {
        /// Figures for the JSON summary.
        package var fields: [(String, String)] = []
        /// What went wrong (empty: every case was refused or failed cleanly).
        package var problems: [String] = []
    }

    /// Runs every case.
    package func run() async -> Outcome {
        var outcome = Outcome()
        let configuration = ChaosSupport.configuration(name: "hostile-extras", token: token, timeout: 30)
        do {
            outcome.fields.append(
                ("truncated_uploads", "\(try await truncatedUploads(configuration: configuration, into: &outcome))"))
            outcome.fields.append(
                ("checksum_cases", "\(try await checksumCases(configuration: configuration, into: &outcome))"))
            if let trainer {
                let (count, failed) = try await csvCases(trainer: trainer, configuration: configuration, into: &outcome)
                outcome.fields.append(("csv_cases", "\(count)"))
                outcome.fields.append(("csv_jobs_failed_cleanly", "\(failed)"))
            }
        } catch {
            outcome.problems.append("upload/CSV cases: \(error)")
        }
        return outcome
    }

    private func expectRefusal(
        _ what: String, _ codes: Set<WireErrorCode>, into outcome: inout Outcome, _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            outcome.problems.append("\(what): accepted")
        } catch let WireClientError.server(code, message, _) {
            if !codes.contains(code) {
                outcome.problems.append("\(what): refused with \(code) (\(message)), expected \(codes)")
            }
            ChaosSupport.emit("refused  \(what): \(code)(\(code.rawValue)) \(message.prefix(140))")
        } catch {
            outcome.problems.append("\(what): \(error)")
        }
    }

    private func truncatedUploads(configuration: WireClientConfiguration, into outcome: inout Outcome) async throws
        -> Int
    {
        var random = ChaosRandom(seed: 99)
        let chunk = random.bytes(256 * 1024)
        var cases = 0
        for round in 0..<12 {
            // Begin a 4 MiB upload, send one or two chunks, drop the connection.
            let wire = try await WireClient.connect(
                host: registry.host, port: registry.port, configuration: configuration)
            let begin = try await wire.send(
                BlobUploadBeginRequest(
                    name: "truncated", size: 4 * 1024 * 1024, digest: BlobDigest(hashing: random.bytes(8))))
            var data = ByteBufferAllocator().buffer(capacity: chunk.count)
            data.writeBytes(chunk)
            for index in 0..<(1 + round % 2) {
                _ = try await wire.send(
                    BlobUploadChunkRequest(uploadID: begin.uploadID, offset: UInt64(index * chunk.count), data: data))
            }
            await wire.close()
            cases += 1
        }
        let client = try await RegistryClient.connect(
            host: registry.host, port: registry.port, configuration: configuration)
        // Commit short of the announced size.
        await expectRefusal("commit of an upload short of its size", [.checksumMismatch], into: &outcome) {
            let begin = try await client.wire.send(
                BlobUploadBeginRequest(name: "short", size: 1000, digest: BlobDigest(hashing: chunk)))
            var data = ByteBufferAllocator().buffer(capacity: 100)
            data.writeBytes(chunk.prefix(100))
            _ = try await client.wire.send(BlobUploadChunkRequest(uploadID: begin.uploadID, offset: 0, data: data))
            _ = try await client.wire.send(BlobUploadCommitRequest(uploadID: begin.uploadID))
        }
        // A chunk at the wrong offset, and bytes past the announced size.
        await expectRefusal("chunk at a wrong offset", [.conflict], into: &outcome) {
            let begin = try await client.wire.send(
                BlobUploadBeginRequest(name: "gap", size: 1000, digest: BlobDigest(hashing: chunk)))
            var data = ByteBufferAllocator().buffer(capacity: 100)
            data.writeBytes(chunk.prefix(100))
            _ = try await client.wire.send(BlobUploadChunkRequest(uploadID: begin.uploadID, offset: 500, data: data))
        }
        await expectRefusal("bytes past the announced size", [.limitExceeded], into: &outcome) {
            let begin = try await client.wire.send(
                BlobUploadBeginRequest(name: "over", size: 10, digest: BlobDigest(hashing: chunk)))
            var data = ByteBufferAllocator().buffer(capacity: 100)
            data.writeBytes(chunk.prefix(100))
            _ = try await client.wire.send(BlobUploadChunkRequest(uploadID: begin.uploadID, offset: 0, data: data))
        }
        await expectRefusal("chunk of an unknown upload", [.notFound], into: &outcome) {
            var data = ByteBufferAllocator().buffer(capacity: 10)
            data.writeBytes(chunk.prefix(10))
            _ = try await client.wire.send(BlobUploadChunkRequest(uploadID: 987_654_321, offset: 0, data: data))
        }
        await client.close()
        return cases + 4
    }

    private func checksumCases(configuration: WireClientConfiguration, into outcome: inout Outcome) async throws -> Int
    {
        let client = try await RegistryClient.connect(
            host: registry.host, port: registry.port, configuration: configuration)
        let bundle = try CrashDrill.bundles(count: 1, seed: 4242)[0]
        await expectRefusal("blob commit with a wrong SHA-256", [.checksumMismatch], into: &outcome) {
            let begin = try await client.wire.send(
                BlobUploadBeginRequest(
                    name: "bundle", size: UInt64(bundle.count), digest: BlobDigest(hashing: Array(bundle.dropFirst()))))
            var data = ByteBufferAllocator().buffer(capacity: bundle.count)
            data.writeBytes(bundle)
            _ = try await client.wire.send(BlobUploadChunkRequest(uploadID: begin.uploadID, offset: 0, data: data))
            _ = try await client.wire.send(BlobUploadCommitRequest(uploadID: begin.uploadID))
        }
        func inline(_ bytes: [UInt8], sha256: String) async throws {
            var payload = ByteBufferAllocator().buffer(capacity: bytes.count)
            payload.writeBytes(bytes)
            let body = try ModelPublishInlineRequest(
                publish: ModelPublishRequest(name: "chaos-bad-bundle", sha256: sha256), bundle: payload
            ).encodedBody()
            _ = try await client.wire.request(opcode: .modelPublishInline, body: body)
        }
        await expectRefusal("inline bundle with a wrong SHA-256", [.checksumMismatch], into: &outcome) {
            try await inline(bundle, sha256: BlobDigest(hashing: Array(bundle.dropLast())).hex)
        }
        var damaged = bundle
        damaged[damaged.count - 3] ^= 0x40
        await expectRefusal(
            "inline bundle whose content checksum is wrong", [.invalidRequest, .checksumMismatch], into: &outcome
        ) {
            try await inline(damaged, sha256: BlobDigest(hashing: damaged).hex)
        }
        var garbageSource = ChaosRandom(seed: 5)
        let garbage = garbageSource.bytes(4096)
        await expectRefusal("inline bundle of random bytes", [.invalidRequest], into: &outcome) {
            try await inline(garbage, sha256: BlobDigest(hashing: garbage).hex)
        }
        await expectRefusal(
            "publish of a stored blob that is not a bundle", [.invalidRequest, .notFound], into: &outcome
        ) {
            let sha = try await client.upload(bytes: garbage, name: "garbage")
            _ = try await client.call(ModelPublishRequest(name: "chaos-bad-bundle", sha256: sha))
        }
        await client.close()
        return 5
    }

    private func csvCases(
        trainer: ListenAddress, configuration: WireClientConfiguration, into outcome: inout Outcome
    ) async throws -> (Int, Int) {
        let registryClient = try await RegistryClient.connect(
            host: registry.host, port: registry.port, configuration: configuration)
        let trainerClient = try await TrainerClient.connect(
            host: trainer.host, port: trainer.port, configuration: configuration)
        var jobs: [(ChaosCSVCases.Case, Int64)] = []
        for item in ChaosCSVCases.all {
            guard !item.bytes.isEmpty else {
                // An empty blob: upload only (the registry may refuse to describe it).
                await expectRefusalOrAccept("push of an empty CSV", registryClient: registryClient, bytes: item.bytes)
                continue
            }
            do {
                let record = try await registryClient.pushDataset(bytes: item.bytes, name: "chaos-bad-csv")
                let job = try await trainerClient.submit(
                    SubmitJobRequest(
                        dataset: "chaos-bad-csv@\(record.sha256)", modelName: "chaos-bad-csv",
                        options: ["epochs": .integer(1)], target: "Exited"))
                jobs.append((item, job.id))
            } catch let WireClientError.server(code, message, _) {
                ChaosSupport.emit("refused  CSV \(item.name) at push: \(code) \(message.prefix(140))")
            }
        }
        var failedCleanly = 0
        let deadline = Date().addingTimeInterval(120)
        for (item, id) in jobs {
            var record = try await trainerClient.status(id)
            while record.state == .queued || record.state == .running, Date() < deadline {
                try await Task.sleep(nanoseconds: 200_000_000)
                record = try await trainerClient.status(id)
            }
            let error = record.error ?? ""
            ChaosSupport.emit("csv      \(item.name): job \(id) \(record.state.rawValue) \(error.prefix(160))")
            if record.state == .failed, !error.isEmpty { failedCleanly += 1 }
            if item.mustFail, record.state != .failed {
                outcome.problems.append(
                    "CSV case \(item.name): job \(id) ended \(record.state.rawValue), expected failed")
            }
            if record.state == .queued || record.state == .running {
                outcome.problems.append("CSV case \(item.name): job \(id) still \(record.state.rawValue) after 120 s")
            }
        }
        await registryClient.close()
        await trainerClient.close()
        return (ChaosCSVCases.all.count, failedCleanly)
    }

    private func expectRefusalOrAccept(_ what: String, registryClient: RegistryClient, bytes: [UInt8]) async {
        do {
            let record = try await registryClient.pushDataset(bytes: bytes, name: "chaos-bad-csv")
            ChaosSupport.emit("accepted \(what): stored as \(record.sha256.prefix(12)) (\(record.rows) rows)")
        } catch {
            ChaosSupport.emit("refused  \(what): \(error)")
        }
    }
}
