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
/// Every store call (SQLite, fsync, blob reads) runs off the event loop: requests answer with
/// `.deferred`, and the deferred work hops onto a dispatch queue meant for blocking I/O.
public final class RegistryHandler: WireRequestHandler {
    /// The storage engine.
    public let store: RegistryStore
    /// Blobs younger than this are left alone by GC (a committed upload not yet registered).
    let gcGraceMillis: Int64
    /// Uploads in progress, per connection.
    let uploads = NIOLockedValueBox<[UploadKey: PendingUpload]>([:])
    /// Next upload id.
    let nextUploadID = NIOLockedValueBox<UInt64>(1)
    /// The hub events go to, once attached, and the last sequence handed to it.
    private let publisher = NIOLockedValueBox<(hub: WireEventHub?, last: Int64)>((nil, 0))
    /// Where blocking store calls run.
    private let queue = DispatchQueue(label: "churn.registry.io", attributes: .concurrent)
    /// Logger for failures that are not the client's fault.
    let logger: Logger

    /// Creates the handler over an open store. `gcGraceMillis` protects fresh uploads from GC.
    public init(store: RegistryStore, gcGraceMillis: Int64 = 60_000, logger: Logger = Logger(label: "churn.registry")) {
        self.store = store
        self.gcGraceMillis = max(0, gcGraceMillis)
        self.logger = logger
    }

    /// Publishes events on `hub` from now on, first seeding it with the retained tail of the log
    /// (`retention` events, plus one evicted so that older `fromSequence` requests are refused with
    /// `notFound` rather than silently skipping events; those are served by the Events opcode).
    public func attach(to hub: WireEventHub, retention: Int) throws {
        let latest = try store.latestSequence()
        let start = max(0, latest - Int64(max(1, retention)) - 1)
        publisher.withLockedValue { $0 = (hub, start) }
        try publishNewEvents()
    }

    /// Hands every event committed since the last call to the hub, in sequence order.
    func publishNewEvents() throws {
        try publisher.withLockedValue { state in
            guard let hub = state.hub else { return }
            while true {
                let events = try store.events(after: state.last, limit: 1000)
                for event in events {
                    let payload = try JSONDocument(encoding: event).json
                    try hub.publish(sequence: UInt64(event.sequence), topic: event.kind.rawValue, payload: payload)
                    state.last = event.sequence
                }
                if events.count < 1000 { return }
            }
        }
    }

    /// Registry opcodes and the blob opcodes.
    public func operation(for opcode: Opcode) -> WireOperation? {
        switch opcode {
        case .blobUploadBegin, .blobUploadChunk, .blobUploadCommit: .write
        case .blobDownload: .read
        default:
            if Opcode.registryWrites.contains(opcode) { .write } else if Opcode.registryReads.contains(opcode) { .read } else { nil }
        }
    }

    /// Answers every request with deferred work on the I/O queue.
    public func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        .deferred { [self] in
            await withCheckedContinuation { continuation in
                queue.async {
                    continuation.resume(returning: self.answer(request, context: context))
                }
            }
        }
    }

    /// Drops the connection's unfinished uploads (their temporary files are deleted).
    public func connectionClosed(_ connectionID: UInt64) {
        let dropped = uploads.withLockedValue { uploads in
            let keys = uploads.keys.filter { $0.connectionID == connectionID }
            return keys.compactMap { uploads.removeValue(forKey: $0) }
        }
        for upload in dropped { upload.upload.abort() }
    }

    /// Serving while the index answers.
    public func health() -> HealthResponse {
        HealthResponse(status: .serving)
    }

    /// Runs one request (blocking) and returns its reply.
    private func answer(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        do {
            switch request.opcode {
            case .blobUploadBegin:
                return try beginUpload(BlobUploadBeginRequest.decode(from: request.body), context: context)
            case .blobUploadChunk:
                return try appendChunk(BlobUploadChunkRequest.decode(from: request.body), context: context)
            case .blobUploadCommit:
                return try commitUpload(BlobUploadCommitRequest.decode(from: request.body), context: context)
            case .blobDownload:
                return try download(BlobDownloadRequest.decode(from: request.body), context: context)
            case .modelPublishInline:
                let version = try publishInline(ModelPublishInlineRequest.decode(from: request.body), who: context.clientName)
                try publishNewEvents()
                return .message(try JSONDocument(encoding: version), allocator: context.allocator)
            default:
                let document = try JSONDocument.decode(from: request.body)
                let response = try respond(to: request.opcode, document, who: context.clientName)
                if Opcode.registryWrites.contains(request.opcode) {
                    try publishNewEvents()
                }
                return .message(response, allocator: context.allocator)
            }
        } catch {
            let message = RegistryErrorMapping.message(for: error)
            if message.code == .internal {
                logger.error("registry request failed", metadata: ["opcode": "\(request.opcode.hex)", "error": "\(error)"])
            }
            return .error(message)
        }
    }
}
