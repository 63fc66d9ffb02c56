import NIOConcurrencyHelpers
import NIOCore
import Wire

extension RegistryModelSource {
    /// The event topics followed: alias moves, and deletions (a version of the name going away).
    public static let topics = [EventKind.aliasMoved.rawValue, EventKind.modelDeleted.rawValue]

    /// Yields (coalesced: at most one pending signal) when the registry may designate another
    /// bundle: on an `alias.moved` event for this name and alias, a `model.deleted` event for this
    /// name, after every (re)subscription, and every ``retryInterval`` seconds while no version of
    /// this source is serving. The subscription (``WireSubscriber``) reconnects with backoff — to
    /// the next registry replica when there are several — and resumes from the last sequence it saw; if the registry refuses the resumption (its log no
    /// longer holds that sequence, e.g. a new data directory), it subscribes afresh.
    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        var subscriber = WireSubscriber(endpoints: endpoints, topics: Self.topics, configuration: configuration)
        subscriber.maxBackoff = .seconds(2)
        let subscriptions = NIOLockedValueBox(0)
        subscriber.onSubscribed = { [self] _ in
            continuation.yield()
            // After a reconnect the registry may have restarted without this predictor's report,
            // or an earlier report failed: report again (the first subscription follows the first
            // load, which reported already unless that failed).
            let count = subscriptions.withLockedValue { count in
                count += 1
                return count
            }
            if count > 1 || reportPending {
                Task { await self.report() }
            }
        }
        let follow = Task { [self] in
            while !Task.isCancelled {
                do {
                    for try await event in subscriber.events() where concerns(event) {
                        continuation.yield()
                    }
                } catch {
                    logger.warning(
                        "registry event subscription refused; subscribing afresh",
                        metadata: ["registry": "\(endpoints)", "error": "\(error)"])
                }
                if Task.isCancelled { break }
                try? await Task.sleep(nanoseconds: UInt64(retryInterval * 1e9))
                continuation.yield()
            }
        }
        let retry = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(retryInterval * 1e9))
                if servedVersion == nil { continuation.yield() }
            }
        }
        continuation.onTermination = { _ in
            follow.cancel()
            retry.cancel()
        }
        return stream
    }

    /// Whether `event` may change what `NAME@ALIAS` designates: a move of that alias, or a deletion
    /// of a version of the name. An event whose payload cannot be read counts (a reload that finds
    /// nothing new costs one ModelShow).
    func concerns(_ event: EventMessage) -> Bool {
        guard let record = try? JSONDocument(json: event.payload).decode(RegistryEvent.self) else { return true }
        guard record.name == name else { return false }
        switch record.kind {
        case .aliasMoved:
            var details = ByteBufferAllocator().buffer(capacity: record.payload.utf8.count)
            details.writeString(record.payload)
            guard let moved = try? JSONDocument(json: details).decode(AliasMovedPayload.self) else { return true }
            return moved.alias == alias
        case .modelDeleted:
            return true
        case .datasetPushed, .modelPublished:
            return false
        }
    }
}

/// The part of an `alias.moved` event's payload the source reads.
private struct AliasMovedPayload: Decodable {
    var alias: String
}
