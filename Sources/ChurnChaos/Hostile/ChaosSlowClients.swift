import Foundation
import NIOCore
import Wire

/// Slow clients for `churn-chaos hostile`: each connects and sends a valid Hello one byte per
/// second (a partial frame the server must hold without blocking anyone else) until told to stop.
package struct ChaosSlowClients: Sendable {
    /// The server and the number of slow clients.
    package let host: String
    package let port: Int
    package let count: Int
    private let stop = StopFlag()

    /// Creates `count` slow clients of `host:port`.
    package init(host: String, port: Int, count: Int) {
        self.host = host
        self.port = port
        self.count = count
    }

    /// What the slow clients did.
    package struct Result: Sendable {
        /// Bytes sent in total.
        package var bytes = 0
        /// Connections the server closed (partial-frame timeout) before the end.
        package var closedByServer = 0
    }

    /// Runs until ``finish(task:)``.
    package func run() async -> Result {
        await withTaskGroup(of: Result.self) { group in
            for _ in 0..<count {
                group.addTask { await one() }
            }
            var total = Result()
            for await part in group {
                total.bytes += part.bytes
                total.closedByServer += part.closedByServer
            }
            return total
        }
    }

    /// Stops the clients and returns their result.
    package func finish(task: Task<Result, Never>) async -> Result {
        stop.set()
        return await task.value
    }

    private func one() async -> Result {
        var result = Result()
        guard let connection = try? await HostileConnection.open(host: host, port: port, token: nil, hello: false)
        else {
            return result
        }
        var frame = ByteBufferAllocator().buffer(capacity: 64)
        WireFrame.write(
            HelloRequest(clientName: "chaos-slow-client"),
            header: FrameHeader(kind: .request, opcode: .hello, correlationID: 1), into: &frame)
        let bytes = Array(frame.readableBytesView)
        var index = 0
        while !stop.isSet {
            if !connection.isActive {
                result.closedByServer += 1
                break
            }
            if index < bytes.count {
                await connection.write([bytes[index]])
                index += 1
                result.bytes += 1
            }
            for _ in 0..<10 where !stop.isSet { try? await Task.sleep(nanoseconds: 100_000_000) }
        }
        await connection.close()
        return result
    }
}
