import NIOCore
import NIOPosix
import Wire

/// Predict load through ``ClosedLoopBenchmark``: N connections, one Predict in flight each, like
/// `redis-benchmark -c N -P 1`; eight different request frames built from the served model's schema
/// are cycled so consecutive requests carry different rows.
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
    public typealias Failure = BenchmarkFailure

    /// Asks the predictor for its model, makes `rows`-row requests from it, connects
    /// `concurrency` clients (Hello each), then sends `requests` Predicts in total.
    public static func run(
        host: String, port: Int, concurrency: Int, requests: Int, rows: Int, explain: Int = 0, threads: Int = 1,
        token: String? = nil
    ) async throws -> Result {
        guard concurrency >= 1, requests >= concurrency, threads >= 1, rows >= 1,
            (0...Int(UInt16.max)).contains(explain)
        else {
            throw Failure.invalidArgument(
                "need concurrency ≥ 1, requests ≥ concurrency, threads ≥ 1, rows ≥ 1, 0 ≤ explain ≤ 65535")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            let client = try await WireClient.connect(
                host: host, port: port, configuration: WireClientConfiguration(clientName: "churn-bench", token: token),
                group: group)
            let info = try await client.send(ModelInfoRequest())
            await client.close()
            // A few different request frames, cycled, so consecutive requests carry different rows.
            let frames = (0..<8).map { seed -> ByteBuffer in
                var frame = ByteBuffer()
                let request = PredictRequest(
                    columns: PredictBenchmarkRows.columns(for: info, rows: rows, seed: seed), explain: UInt16(explain))
                WireFrame.write(
                    request, header: FrameHeader(kind: .request, opcode: .predict, correlationID: 2), into: &frame)
                return frame
            }
            let measurement = try await ClosedLoopBenchmark.run(
                group: group, host: host, port: port, concurrency: concurrency, requests: requests, frames: frames,
                clientName: "churn-bench-predict", token: token)
            try await group.shutdownGracefully()
            return Result(
                requests: measurement.requests, rows: rows, concurrency: concurrency,
                elapsedNanoseconds: measurement.elapsedNanoseconds,
                latenciesNanoseconds: measurement.latenciesNanoseconds)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }
}
