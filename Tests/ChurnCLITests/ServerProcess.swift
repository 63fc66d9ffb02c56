import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `churn serve …` child process on a free port, stopped with SIGTERM.
final class ServerProcess {
    let process = Process()
    /// The port it listens on, read from its "listening on HOST:PORT" line.
    private(set) var port = 0
    /// The port of its Prometheus endpoint, with `metrics`.
    private(set) var metricsPort = 0

    /// Starts `churn serve ROLE --listen 127.0.0.1:0 extra…` and waits for its listening line
    /// (with `metrics`, also serving `/metrics` on a free port, and waits for that line too).
    init(role: String, extra: [String] = [], metrics: Bool = false) throws {
        process.executableURL = ChurnProcess.executable
        process.arguments =
            ["serve", role, "--listen", "127.0.0.1:0"] + (metrics ? ["--metrics", "127.0.0.1:0"] : []) + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = out.fileHandleForReading
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if port == 0, let range = text.range(of: #"listening on [0-9.]+:([0-9]+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last ?? "") ?? 0
            }
            if metrics, let range = text.range(of: #"metrics on http://[0-9.]+:[0-9]+/"#, options: .regularExpression) {
                metricsPort = Int(text[range].dropLast().split(separator: ":").last ?? "") ?? 0
            }
            if port > 0 && (!metrics || metricsPort > 0) { break }
        }
        guard port > 0 && (!metrics || metricsPort > 0) else {
            process.terminate()
            throw CocoaError(
                .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not report its port: \(text)"])
        }
    }

    /// `127.0.0.1:PORT`.
    var address: String { "127.0.0.1:\(port)" }

    /// The value of the sample `name` (no labels) on its `/metrics` page, nil when absent.
    func metric(_ name: String) async throws -> Double? {
        let url = try #require(URL(string: "http://127.0.0.1:\(metricsPort)/metrics"))
        let (data, _) = try await URLSession.shared.data(from: url)
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == name { return Double(parts[1]) }
        }
        return nil
    }

    /// Kills the process with SIGKILL (no shutdown of any kind) and waits for it.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits for the process to exit; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
