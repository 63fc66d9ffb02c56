import NIOCore
import NIOPosix

/// A subscription that survives disconnects: it reconnects with exponential backoff and resumes
/// from the last sequence it delivered, so no event is missed or repeated (wire.md §6.1).
public struct WireSubscriber: Sendable {
    /// Server host.
    public var host: String
    /// Server port.
    public var port: Int
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

    /// Creates a subscriber.
    public init(
        host: String, port: Int, topics: [String], configuration: WireClientConfiguration = WireClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.topics = topics
        self.configuration = configuration
        self.group = group
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
            while !Task.isCancelled {
                do {
                    let client = try await WireClient.connect(
                        host: subscriber.host, port: subscriber.port, configuration: subscriber.configuration,
                        group: subscriber.group)
                    let subscription = try await client.subscribe(topics: subscriber.topics, fromSequence: next)
                    backoff = subscriber.initialBackoff
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
