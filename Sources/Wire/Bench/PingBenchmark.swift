import NIOCore
import NIOPosix

/// A closed-loop Ping load generator in plain NIO handlers, shaped like `redis-benchmark -c N -P 1`:
/// N connections, each with exactly one Ping in flight, sending the next as soon as the answer
/// arrives. No Swift task per request; the hot path reuses one prebuilt frame and writes latencies
/// into preallocated arrays.
public enum PingBenchmark {
    /// Outcome of one run.
    public struct Result: Sendable {
        /// Pings answered.
        public var requests: Int
        /// Connections used.
        public var concurrency: Int
        /// Wall time from the first send to the last answer, in nanoseconds.
        public var elapsedNanoseconds: UInt64
        /// Round-trip time of every Ping, in nanoseconds (unordered).
        public var latenciesNanoseconds: [UInt64]

        /// Answered Pings per second.
        public var requestsPerSecond: Double {
            elapsedNanoseconds == 0 ? 0 : Double(requests) * 1e9 / Double(elapsedNanoseconds)
        }
    }

    /// Errors of a run.
    public enum Failure: Error, CustomStringConvertible {
        /// Bad arguments.
        case invalidArgument(String)
        /// The server answered something other than a Ping response.
        case unexpectedFrame(String)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .invalidArgument(let text): "invalid argument: \(text)"
            case .unexpectedFrame(let text): "unexpected frame: \(text)"
            }
        }
    }

    /// Connects `concurrency` clients (Hello each), then sends `requests` Pings in total.
    public static func run(
        host: String, port: Int, concurrency: Int, requests: Int, threads: Int = 1, token: String? = nil
    ) async throws -> Result {
        guard concurrency >= 1, requests >= concurrency, threads >= 1 else {
            throw Failure.invalidArgument("need concurrency ≥ 1, requests ≥ concurrency, threads ≥ 1")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            let result = try await run(group: group, host: host, port: port, concurrency: concurrency, requests: requests, token: token)
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func run(
        group: MultiThreadedEventLoopGroup, host: String, port: Int, concurrency: Int, requests: Int, token: String?
    ) async throws -> Result {
        var channels: [any Channel] = []
        var readies: [EventLoopFuture<Void>] = []
        var dones: [EventLoopFuture<[UInt64]>] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        for index in 0..<concurrency {
            let quota = requests / concurrency + (index < requests % concurrency ? 1 : 0)
            let loop = group.next()
            let ready = loop.makePromise(of: Void.self)
            let done = loop.makePromise(of: [UInt64].self)
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            PingBenchmarkHandler(quota: quota, token: token, ready: ready, done: done))
                    }
                }
                .connect(host: host, port: port).get()
            channels.append(channel)
            readies.append(ready.futureResult)
            dones.append(done.futureResult)
        }
        for ready in readies { try await ready.get() }
        let start = NIODeadline.now()
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(PingBenchmarkHandler.Start())
        }
        var latencies: [UInt64] = []
        latencies.reserveCapacity(requests)
        for done in dones { latencies += try await done.get() }
        let elapsed = NIODeadline.now() - start
        return Result(
            requests: latencies.count, concurrency: concurrency,
            elapsedNanoseconds: UInt64(max(0, elapsed.nanoseconds)), latenciesNanoseconds: latencies)
    }
}
