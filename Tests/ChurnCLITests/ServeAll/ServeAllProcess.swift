import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `churn serve all` child process on free loopback ports, read line by line until "ready:".
final class ServeAllProcess {
    let process = Process()
    /// Ports: registry, trainer, predictor, http.
    let registryPort: Int
    let trainerPort: Int
    let predictorPort: Int
    let httpPort: Int
    /// Everything it printed on standard output so far.
    private(set) var output = ""
    private let handle: FileHandle

    /// Starts `churn serve all --data-dir DIR` on four free ports and waits (up to `timeout`
    /// seconds) for its "ready:" line.
    init(dataDir: String, timeout: Double = 60) throws {
        let ports = try Self.freePorts(4)
        (registryPort, trainerPort, predictorPort, httpPort) = (ports[0], ports[1], ports[2], ports[3])
        process.executableURL = ChurnProcess.executable
        process.arguments = [
            "serve", "all", "--data-dir", dataDir, "--registry-listen", "127.0.0.1:\(registryPort)",
            "--trainer-listen", "127.0.0.1:\(trainerPort)", "--predictor-listen", "127.0.0.1:\(predictorPort)",
            "--http", "127.0.0.1:\(httpPort)", "--log-level", "error",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        handle = out.fileHandleForReading
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, !output.contains("ready:") {
            let data = handle.availableData
            if data.isEmpty { break }
            output += String(decoding: data, as: UTF8.self)
        }
        guard output.contains("ready:") else {
            process.terminate()
            throw CocoaError(
                .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve all never said ready: \(output)"])
        }
    }

    /// `127.0.0.1:PORT` of a port.
    static func address(_ port: Int) -> String { "127.0.0.1:\(port)" }

    /// Sends SIGTERM, waits for the exit and returns (status, seconds it took).
    func stop() -> (status: Int32, seconds: Double) {
        let start = Date()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// `count` distinct ports the kernel had free a moment ago (bound to port 0, read back, closed).
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
            sockets.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                    bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
                }
            }
            guard bound else { throw POSIXError(.EADDRINUSE) }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
