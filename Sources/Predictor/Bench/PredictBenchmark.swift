import NIOCore
import NIOPosix
import Wire

/// A closed-loop Predict load generator in plain NIO handlers, shaped like `redis-benchmark -c N
/// -P 1`: N connections, each with exactly one Predict in flight, sending the next as soon as the
/// answer arrives. Request frames are built once and reused; latencies go into preallocated arrays.
public enum PredictBenchmark {
    /// Outcome of one run.
    public struct Result: Sendable {
        /// Requests answered.
        public var requests: Int
        /// Rows per request.
        public var rows: Int
        /// Connections used.
        public var concurrency: Int
        /// Wall time from the first send to the last answer, in nanoseconds.
        public var elapsedNanoseconds: UInt64
        /// Round-trip time of every request, in nanoseconds (unordered).
        public var latenciesNanoseconds: [UInt64]

        /// Answered requests per second.
        public var requestsPerSecond: Double {
            elapsedNanoseconds == 0 ? 0 : Double(requests) * 1e9 / Double(elapsedNanoseconds)
        }

        /// Scored rows per second.
        public var rowsPerSecond: Double { requestsPerSecond * Double(rows) }
    }

    /// Errors of a run.
    public enum Failure: Error, CustomStringConvertible {
        /// Bad arguments.
        case invalidArgument(String)
        /// The server answered something other than a Predict response.
        case unexpectedFrame(String)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .invalidArgument(let text): "invalid argument: \(text)"
            case .unexpectedFrame(let text): "unexpected frame: \(text)"
            }
        }
    }

    /// Asks the predictor for its model, makes `rows`-row requests from it, connects
    /// `concurrency` clients (Hello each), then sends `requests` Predicts in total.
    public static func run(
        host: String, port: Int, concurrency: Int, requests: Int, rows: Int, explain: Int = 0, threads: Int = 1,
        token: String? = nil
    ) async throws -> Result {
        guard concurrency >= 1, requests >= concurrency, threads >= 1, rows >= 1, (0...Int(UInt16.max)).contains(explain) else {
            throw Failure.invalidArgument("need concurrency ≥ 1, requests ≥ concurrency, threads ≥ 1, rows ≥ 1, 0 ≤ explain ≤ 65535")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            let client = try await WireClient.connect(
                host: host, port: port, configuration: WireClientConfiguration(clientName: "churn-bench", token: token), group: group)
            let info = try await client.send(ModelInfoRequest())
            await client.close()
            // A few different request frames, cycled, so consecutive requests carry different rows.
            let frames = (0..<8).map { seed -> ByteBuffer in
                var frame = ByteBuffer()
                let request = PredictRequest(
                    columns: PredictBenchmarkRows.columns(for: info, rows: rows, seed: seed), explain: UInt16(explain))
                WireFrame.write(request, header: FrameHeader(kind: .request, opcode: .predict, correlationID: 2), into: &frame)
                return frame
            }
            let result = try await run(
                group: group, host: host, port: port, concurrency: concurrency, requests: requests, frames: frames, token: token)
            try await group.shutdownGracefully()
            return Result(
                requests: result.requests, rows: rows, concurrency: concurrency, elapsedNanoseconds: result.elapsed,
                latenciesNanoseconds: result.latencies)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func run(
        group: MultiThreadedEventLoopGroup, host: String, port: Int, concurrency: Int, requests: Int, frames: [ByteBuffer],
        token: String?
    ) async throws -> (requests: Int, elapsed: UInt64, latencies: [UInt64]) {
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
                            PredictBenchmarkHandler(quota: quota, frames: frames, offset: index, token: token, ready: ready, done: done))
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
            channel.pipeline.fireUserInboundEventTriggered(PredictBenchmarkHandler.Start())
        }
        var latencies: [UInt64] = []
        latencies.reserveCapacity(requests)
        for done in dones { latencies += try await done.get() }
        let elapsed = NIODeadline.now() - start
        return (latencies.count, UInt64(max(0, elapsed.nanoseconds)), latencies)
    }
}
