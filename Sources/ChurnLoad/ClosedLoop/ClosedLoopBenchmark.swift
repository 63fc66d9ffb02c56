import NIOCore
import NIOPosix
import Wire

/// The closed-loop load generator behind `churn bench ping` and `churn bench predict`, shaped like
/// `redis-benchmark -c N -P 1`: N connections (Hello each), each with exactly one request in flight,
/// sending the next as soon as the answer arrives. Plain NIO handlers, no Swift task per request;
/// request frames are built once and cycled.
public enum ClosedLoopBenchmark {
    /// Round trips of one run.
    public struct Measurement: Sendable {
        /// Requests answered.
        public var requests: Int
        /// Wall time from the first send to the last answer, in nanoseconds.
        public var elapsedNanoseconds: UInt64
        /// Round-trip time of every request, in nanoseconds (unordered).
        public var latenciesNanoseconds: [UInt64]
    }

    /// Sends `requests` requests in total over `concurrency` connections on `group`; connection `i`
    /// starts at `frames[i % frames.count]` and cycles through them.
    public static func run(
        group: any EventLoopGroup, host: String, port: Int, concurrency: Int, requests: Int,
        frames: [ByteBuffer], clientName: String, token: String?
    ) async throws -> Measurement {
        guard concurrency >= 1, requests >= concurrency, !frames.isEmpty else {
            throw BenchmarkFailure.invalidArgument(
                "need concurrency ≥ 1, requests ≥ concurrency and at least one request frame")
        }
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
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ClosedLoopBenchmarkHandler(
                                quota: quota, frames: frames, offset: index, clientName: clientName, token: token,
                                ready: ready, done: done))
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
            channel.pipeline.fireUserInboundEventTriggered(ClosedLoopBenchmarkHandler.Start())
        }
        var latencies: [UInt64] = []
        latencies.reserveCapacity(requests)
        for done in dones { latencies += try await done.get() }
        let elapsed = NIODeadline.now() - start
        return Measurement(
            requests: latencies.count, elapsedNanoseconds: UInt64(max(0, elapsed.nanoseconds)),
            latenciesNanoseconds: latencies)
    }
}
