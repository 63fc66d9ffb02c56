import NIOCore
import NIOPosix

/// A subscription that survives disconnects: it reconnects with exponential backoff and resumes
/// from the last sequence it delivered, so no event is missed or repeated (wire.md §6.1).
///
/// With several addresses (registry replicas sharing one event log, whose sequences are global)
/// it moves on to the next address after every failed or lost connection, starting with the
/// first; it waits (with backoff) only once every address in a row has failed.
public struct WireSubscriber: Sendable {
    /// The servers, in the order they are tried.
    public var endpoints: RoleEndpoints
    /// Topics to follow.
    public var topics: [String]
    /// Client settings (name, token, timeouts).
    public var configuration: WireClientConfiguration
    /// First wait after a failed or lost connection.
    public var initialBackoff: TimeAmount = .milliseconds(100)
    /// Longest wait between attempts.
    public var maxBackoff: TimeAmount = .seconds(5)
    /// Event loops for the connections.
    public var group: any EventLoopGroup
    /// Called after every successful Subscribe (the first and each one after a reconnect) with the
    /// server's head sequence, before any of that subscription's events are delivered. A follower
    /// uses it to re-check state that may have changed while it was disconnected.
    public var onSubscribed: (@Sendable (_ headSequence: UInt64) -> Void)?

    /// Creates a subscriber following the servers `endpoints`.
    public init(
        endpoints: RoleEndpoints, topics: [String],
        configuration: WireClientConfiguration = WireClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.endpoints = endpoints
        self.topics = topics
        self.configuration = configuration
        self.group = group
    }

    /// Creates a subscriber following the one server at `host:port`.
    public init(
        host: String, port: Int, topics: [String], configuration: WireClientConfiguration = WireClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.init(
            endpoints: RoleEndpoints(host: host, port: port), topics: topics, configuration: configuration,
            group: group)
    }

    /// The events from `fromSequence` on (nil: from the moment of the first subscription), across
    /// reconnects. Finishes with an error only for a server refusal that retrying cannot fix
    /// (e.g. `notFound` when the requested sequence is no longer retained, or `unauthorized`).
    /// Cancel the iterating task to stop.
    public func events(fromSequence: UInt64? = nil) -> AsyncThrowingStream<EventMessage, any Error> {
        let (stream, continuation) = AsyncThrowingStream<EventMessage, any Error>.makeStream()
        let subscriber = self
        let task = Task {
            var next = fromSequence
            var backoff = subscriber.initialBackoff
            var index = 0
            var failuresInRow = 0
            while !Task.isCancelled {
                let endpoint = subscriber.endpoints.all[index]
                do {
                    let client = try await WireClient.connect(
                        host: endpoint.host, port: endpoint.port, configuration: subscriber.configuration,
                        group: subscriber.group)
                    let subscription: WireSubscription
                    do {
                        subscription = try await client.subscribe(topics: subscriber.topics, fromSequence: next)
                    } catch {
                        await client.close()
                        throw error
                    }
                    backoff = subscriber.initialBackoff
                    failuresInRow = 0
                    if next == nil { next = subscription.headSequence + 1 }
                    subscriber.onSubscribed?(subscription.headSequence)
                    for await event in subscription.events {
                        next = event.sequence + 1
                        continuation.yield(event)
                    }
                    await client.close()
                } catch let error as WireClientError {
                    if let code = error.serverCode, code != .unavailable && code != .internal && code != .timeout {
                        continuation.finish(throwing: error)
                        return
                    }
                } catch {
                    // Connection refused, reset…: retry.
                }
                if Task.isCancelled { break }
                // The connection failed or was lost: the next address, waiting only after a full round.
                index = (index + 1) % subscriber.endpoints.count
                failuresInRow += 1
                guard failuresInRow % subscriber.endpoints.count == 0 else { continue }
                let jitter = Int64.random(in: 0...max(1, backoff.nanoseconds / 5))
                try? await Task.sleep(nanoseconds: UInt64(max(0, backoff.nanoseconds + jitter)))
                backoff = .nanoseconds(min(backoff.nanoseconds * 2, subscriber.maxBackoff.nanoseconds))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
