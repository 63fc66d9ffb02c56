import NIOCore
import NIOPosix
import Wire

/// Ping load through ``ClosedLoopBenchmark``: N connections, one Ping in flight each, like
/// `redis-benchmark -t ping_mbulk -c N -P 1`.
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
    public typealias Failure = BenchmarkFailure

    /// Connects `concurrency` clients (Hello each), then sends `requests` Pings in total.
    public static func run(
        host: String, port: Int, concurrency: Int, requests: Int, threads: Int = 1, token: String? = nil
    ) async throws -> Result {
        guard concurrency >= 1, requests >= concurrency, threads >= 1 else {
            throw Failure.invalidArgument("need concurrency ≥ 1, requests ≥ concurrency, threads ≥ 1")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var frame = ByteBuffer()
        WireFrame.write(
            PingRequest(payload: 0), header: FrameHeader(kind: .request, opcode: .ping, correlationID: 2), into: &frame)
        do {
            let measurement = try await ClosedLoopBenchmark.run(
                group: group, host: host, port: port, concurrency: concurrency, requests: requests, frames: [frame],
                clientName: "churn-bench", token: token)
            try await group.shutdownGracefully()
            return Result(
                requests: measurement.requests, concurrency: concurrency,
                elapsedNanoseconds: measurement.elapsedNanoseconds,
                latenciesNanoseconds: measurement.latenciesNanoseconds)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }
}
