import Dispatch
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceKit
import Wire

/// The registry role of a ``WireServer``: serves the registry's JSON opcodes (0x0100–0x01FF) and
/// the common blob opcodes (§7) over a ``RegistryStore``, and publishes every committed event on
/// the server's ``WireEventHub`` with the registry's own sequence numbers.
///
/// Every store call runs off the event loop: requests answer with `.deferred`, and the stores run
/// their blocking work (SQLite, fsync, hashing) on queues of their own, their network work
/// (PostgreSQL, S3) on NIO.
public final class RegistryHandler: WireRequestHandler {
    /// The storage engine.
    public let store: RegistryStore
    /// Blobs younger than this are left alone by GC (a committed upload not yet registered).
    let gcGraceMillis: Int64
    /// Uploads in progress, per connection.
    let uploads = NIOLockedValueBox<[UploadKey: PendingUpload]>([:])
    /// Next upload id.
    let nextUploadID = NIOLockedValueBox<UInt64>(1)
    /// Hands committed events to the server's hub.
    private let relay: RegistryEventRelay
    /// Follows the store's change signals (other replicas' writes) once attached.
    private let follower = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// The stores' state as last probed (Health answers from it without waiting on the stores).
    private let storeHealth = NIOLockedValueBox(HealthResponse(status: .serving))
    /// Probes the stores every ``healthProbeInterval`` once attached.
    private let prober = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// How often the stores are probed for Health.
    static let healthProbeInterval: Duration = .seconds(2)
    /// Logger for failures that are not the client's fault.
    let logger: Logger

    /// Creates the handler over an open store. `gcGraceMillis` protects fresh uploads from GC.
    public init(store: RegistryStore, gcGraceMillis: Int64 = 60_000, logger: Logger = Logger(label: "churn.registry")) {
        self.store = store
        self.gcGraceMillis = max(0, gcGraceMillis)
        self.logger = logger
        relay = RegistryEventRelay(store: store)
    }

    deinit {
        follower.withLockedValue { $0?.cancel() }
        prober.withLockedValue { $0?.cancel() }
    }

    /// Publishes events on `hub` from now on, first seeding it with the retained tail of the log
    /// (`retention` events, plus one evicted so that older `fromSequence` requests are refused with
    /// `notFound` rather than silently skipping events; those are served by the Events opcode).
    public func attach(to hub: WireEventHub, retention: Int) async throws {
        let latest = try await store.latestSequence()
        try await relay.attach(to: hub, from: max(0, latest - Int64(max(1, retention)) - 1))
        let signals = store.eventSignals()
        let logger = logger
        // Weak: the follower must not keep the store (and an embedded store's directory lock) alive.
        let task = Task { [weak relay] in
            for await _ in signals {
                guard let relay else { return }
                do {
                    try await relay.publishNewEvents()
                } catch {
                    logger.warning("cannot read new registry events", metadata: ["error": "\(error)"])
                }
            }
        }
        follower.withLockedValue {
            $0?.cancel()
            $0 = task
        }
        await probeStores()
        let probe = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.healthProbeInterval)
                guard let self else { return }
                await self.probeStores()
            }
        }
        prober.withLockedValue {
            $0?.cancel()
            $0 = probe
        }
    }

    /// Asks both stores whether they answer and keeps the outcome for Health.
    func probeStores() async {
        let health = await store.health()
        storeHealth.withLockedValue { $0 = health }
    }

    /// Hands every event committed since the last call to the hub, in sequence order.
    func publishNewEvents() async throws {
        try await relay.publishNewEvents()
    }

    /// Registry opcodes and the blob opcodes.
    public func operation(for opcode: Opcode) -> WireOperation? {
        switch opcode {
        case .blobUploadBegin, .blobUploadChunk, .blobUploadCommit: .write
        case .blobDownload: .read
        default:
            if Opcode.registryWrites.contains(opcode) {
                .write
            } else if Opcode.registryReads.contains(opcode) {
                .read
            } else {
                nil
            }
        }
    }

    /// Answers every request with deferred work on the I/O queue.
    public func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        .deferred { [self] in await answer(request, context: context) }
    }

    /// Drops the connection's unfinished uploads (their temporary files are deleted).
    public func connectionClosed(_ connectionID: UInt64) {
        let dropped = uploads.withLockedValue { uploads in
            let keys = uploads.keys.filter { $0.connectionID == connectionID }
            return keys.compactMap { uploads.removeValue(forKey: $0) }
        }
        for upload in dropped { upload.upload.abort() }
    }

    /// Serving while both stores answered the last probe (at most ``healthProbeInterval`` ago);
    /// degraded, naming the unreachable engine, otherwise.
    public func health() -> HealthResponse {
        storeHealth.withLockedValue { $0 }
    }

    /// Runs one request and returns its reply. A keyed write (wire.md §2.4) runs with its
    /// `IdempotentRequest` bound, so the store applies it at most once per key; a repeat is
    /// answered with the first answer.
    private func answer(_ request: WireRequest, context: WireRequestContext) async -> WireReply {
        guard let key = request.idempotencyKey, Opcode.keyedWrites.contains(request.opcode) else {
            return await answerOnce(request, context: context)
        }
        return await IdempotentRequest.$current.withValue(
            IdempotentRequest(key: key, opcode: request.opcode, body: request.body)
        ) {
            await answerOnce(request, context: context)
        }
    }

    /// Runs one request and returns its reply.
    private func answerOnce(_ request: WireRequest, context: WireRequestContext) async -> WireReply {
        do {
            switch request.opcode {
            case .blobUploadBegin:
                return try beginUpload(BlobUploadBeginRequest.decode(from: request.body), context: context)
            case .blobUploadChunk:
                return try appendChunk(BlobUploadChunkRequest.decode(from: request.body), context: context)
            case .blobUploadCommit:
                return try await commitUpload(BlobUploadCommitRequest.decode(from: request.body), context: context)
            case .blobDownload:
                return try await download(BlobDownloadRequest.decode(from: request.body), context: context)
            case .modelPublishInline:
                let version = try await publishInline(
                    ModelPublishInlineRequest.decode(from: request.body), who: context.clientName)
                try await publishNewEvents()
                return .message(try JSONDocument(encoding: version), allocator: context.allocator)
            default:
                let document = try JSONDocument.decode(from: request.body)
                let response = try await respond(to: request.opcode, document, who: context.clientName)
                if Opcode.registryWrites.contains(request.opcode) {
                    try await publishNewEvents()
                }
                return .message(response, allocator: context.allocator)
            }
        } catch let replay as IdempotentReplay {
            return .message(replay.document, allocator: context.allocator)
        } catch {
            let message = RegistryErrorMapping.message(for: error)
            if message.code == .internal {
                logger.error(
                    "registry request failed", metadata: ["opcode": "\(request.opcode.hex)", "error": "\(error)"])
            }
            return .error(message)
        }
    }
}
