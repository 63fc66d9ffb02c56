import NIOCore
import NIOPosix

/// Typed calls to a registry server over one ``WireClient`` connection: the JSON opcodes plus
/// verified blob upload and download (wire.md "Registry", §7). Any role can use it without
/// importing the Registry library.
public struct RegistryClient: KeyedRoleClient {
    /// The underlying connection.
    public let wire: WireClient
    /// The keys of this client's keyed writes (see ``KeyedRoleClient``).
    public let keys: IdempotencyKeys?

    /// Wraps an open connection whose keyed writes take their keys from `keys`.
    public init(wire: WireClient, keys: IdempotencyKeys?) {
        self.wire = wire
        self.keys = keys
    }

    /// Sends one registry request and decodes its response.
    public func call<Call: RegistryCall>(_ request: Call, timeout: TimeAmount? = nil) async throws -> Call.Response {
        try await wire.callJSON(
            request, opcode: Call.opcode, as: Call.Response.self, timeout: timeout,
            idempotencyKey: idempotencyKey(for: Call.opcode))
    }

    /// Uploads `bytes` in chunks of at most 1 MiB (BlobUploadBegin/Chunk/Commit) and returns the
    /// SHA-256 (hex) the server verified.
    public func upload(bytes: [UInt8], name: String) async throws -> String {
        let digest = BlobDigest(hashing: bytes)
        let begin = try await wire.send(BlobUploadBeginRequest(name: name, size: UInt64(bytes.count), digest: digest))
        let chunk = max(1, min(Int(begin.maxChunkLength), WireProtocol.maxBlobChunkLength))
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            var data = ByteBufferAllocator().buffer(capacity: end - offset)
            data.writeBytes(bytes[offset..<end])
            _ = try await wire.send(
                BlobUploadChunkRequest(uploadID: begin.uploadID, offset: UInt64(offset), data: data))
            offset = end
        }
        let commit = try await wire.send(BlobUploadCommitRequest(uploadID: begin.uploadID))
        guard commit.digest == digest, commit.size == UInt64(bytes.count) else {
            throw WireClientError.blobMismatch(
                "server committed \(commit.digest.hex) (\(commit.size) bytes), sent \(digest.hex)")
        }
        return digest.hex
    }

    /// Downloads a blob with ranged BlobDownload requests and verifies its SHA-256.
    public func download(sha256: String) async throws -> [UInt8] {
        guard let digest = BlobDigest(hex: sha256) else {
            throw WireClientError.blobMismatch("\"\(sha256)\" is not a full SHA-256 hex digest")
        }
        var bytes: [UInt8] = []
        var total: UInt64?
        repeat {
            let part = try await wire.send(
                BlobDownloadRequest(
                    digest: digest, offset: UInt64(bytes.count), maxLength: UInt32(WireProtocol.maxBlobChunkLength)))
            if total == nil {
                total = part.totalSize
                bytes.reserveCapacity(Int(clamping: min(part.totalSize, 1 << 31)))
            }
            guard part.totalSize == total, part.offset == UInt64(bytes.count) else {
                throw WireClientError.blobMismatch("inconsistent ranges while downloading \(sha256)")
            }
            guard part.data.readableBytes > 0 || UInt64(bytes.count) == part.totalSize else {
                throw WireClientError.blobMismatch("empty range at \(bytes.count) of \(part.totalSize)")
            }
            bytes.append(contentsOf: part.data.readableBytesView)
        } while UInt64(bytes.count) < (total ?? 0)
        guard BlobDigest(hashing: bytes) == digest else {
            throw WireClientError.blobMismatch("downloaded bytes do not hash to \(sha256)")
        }
        return bytes
    }

    // MARK: Typed shortcuts

    /// Uploads a dataset file and registers it under `name`.
    public func pushDataset(
        bytes: [UInt8], name: String, description: String = "", delimiter: String? = nil
    ) async throws -> DatasetRecord {
        let sha256 = try await upload(bytes: bytes, name: name)
        return try await call(
            DatasetRegisterRequest(name: name, sha256: sha256, description: description, delimiter: delimiter))
    }

    /// Datasets (of one name, when set).
    public func datasets(name: String? = nil) async throws -> [DatasetRecord] {
        try await call(DatasetListRequest(name: name)).items
    }

    /// One dataset by reference.
    public func dataset(_ reference: String) async throws -> DatasetRecord {
        try await call(DatasetShowRequest(reference: reference))
    }

    /// A dataset's record and verified bytes.
    public func fetchDataset(_ reference: String) async throws -> (record: DatasetRecord, bytes: [UInt8]) {
        let record = try await dataset(reference)
        return (record, try await download(sha256: record.sha256))
    }

    /// Publishes a bundle as the name's next version: in one ModelPublishInline request when it is
    /// at most ``ModelPublishInlineRequest/maxBundleLength`` bytes, else by a chunked upload
    /// followed by ModelPublish.
    public func publishModel(
        bundle: [UInt8], name: String, tags: [String: String] = [:], description: String = "", alias: String? = nil
    ) async throws -> ModelVersion {
        guard bundle.count <= ModelPublishInlineRequest.maxBundleLength else {
            let sha256 = try await upload(bytes: bundle, name: name)
            return try await call(
                ModelPublishRequest(name: name, sha256: sha256, tags: tags, description: description, alias: alias))
        }
        let publish = ModelPublishRequest(
            name: name, sha256: BlobDigest(hashing: bundle).hex, tags: tags, description: description, alias: alias)
        var bytes = ByteBufferAllocator().buffer(capacity: bundle.count)
        bytes.writeBytes(bundle)
        let body = try ModelPublishInlineRequest(publish: publish, bundle: bytes).encodedBody()
        let answer = try await wire.request(
            opcode: .modelPublishInline, body: body, idempotencyKey: idempotencyKey(for: .modelPublishInline))
        return try WireClient.decodeJSONAnswer(answer, of: .modelPublishInline, as: ModelVersion.self)
    }

    /// One version by reference, with the name's deployments.
    public func model(_ reference: String) async throws -> ModelShowResponse {
        try await call(ModelShowRequest(reference: reference))
    }

    /// A version's record and verified bundle bytes.
    public func fetchModel(_ reference: String) async throws -> (version: ModelVersion, bytes: [UInt8]) {
        let version = try await model(reference).version
        return (version, try await download(sha256: version.bundleSHA256))
    }

    /// Versions matching a query.
    public func search(_ query: String) async throws -> [ModelVersion] {
        try await call(ModelSearchRequest(query: query)).items
    }

    /// Events after `sequence` (poll form).
    public func events(after sequence: Int64, limit: Int = 1000) async throws -> EventsResponse {
        try await call(EventsRequest(after: sequence, limit: limit))
    }
}
