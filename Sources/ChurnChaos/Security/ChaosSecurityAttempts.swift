import NIOCore
import Wire

/// The attempts `churn-chaos security` makes and the names it tries.
package enum ChaosSecurityAttempts {
    /// Hostile values for name fields: traversal, NUL, 10 kB, absolute paths, bad first characters.
    package static let hostileNames: [(String, String)] = [
        ("traversal", "../../../../tmp/chaos-escape"), ("dotdot", ".."), ("inner-traversal", "a/../../b"),
        ("absolute", "/etc/passwd"), ("nul", "chaos\u{0}nul"), ("long-10k", String(repeating: "a", count: 10_240)),
        ("leading-dash", "-rf"), ("newline", "a\nb"), ("empty", ""),
    ]

    /// A state-changing request of `role`: its opcode and a plausible body.
    package struct Write {
        /// The opcode's name for the report.
        package var name: String
        /// The opcode.
        package var opcode: Opcode
        /// The body.
        package var body: ByteBuffer
    }

    /// Every state-changing opcode `role` serves (the common blob opcodes included) with a valid body.
    package static func writes(role: String) -> [Write] {
        let digest = BlobDigest(hashing: Array("chaos".utf8))
        var chunk = ByteBufferAllocator().buffer(capacity: 5)
        chunk.writeString("chaos")
        var writes = [
            Write(
                name: "BlobUploadBegin", opcode: .blobUploadBegin,
                body: BlobUploadBeginRequest(name: "chaos", size: 5, digest: digest).encodedBody()),
            Write(
                name: "BlobUploadChunk", opcode: .blobUploadChunk,
                body: BlobUploadChunkRequest(uploadID: 1, offset: 0, data: chunk).encodedBody()),
            Write(
                name: "BlobUploadCommit", opcode: .blobUploadCommit,
                body: BlobUploadCommitRequest(uploadID: 1).encodedBody()),
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
                json(
                    "DeploymentReport", .deploymentReport,
                    DeploymentReportRequest(instance: "chaos", name: "churn", version: 1)),
            ].compactMap { $0 }
            var inline = ByteBufferAllocator().buffer(capacity: 64)
            if let document = try? JSONDocument(encoding: ModelPublishRequest(name: "chaos-sec", sha256: sha))
                .encodedBody()
            {
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
            writes.append(
                Write(name: "PredictorReload", opcode: .predictorReload, body: PredictorReloadRequest().encodedBody()))
        default:
            break
        }
        return writes
    }
}
