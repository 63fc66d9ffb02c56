import Foundation

/// A `churn serve …` child process on a free port, stopped with SIGTERM.
final class ServerProcess {
    let process = Process()
    /// The port it listens on, read from its "listening on HOST:PORT" line.
    private(set) var port = 0

    /// Starts `churn serve ROLE --listen 127.0.0.1:0 extra…` and waits for its listening line.
    init(role: String, extra: [String] = []) throws {
        process.executableURL = ChurnProcess.executable
        process.arguments = ["serve", role, "--listen", "127.0.0.1:0"] + extra
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
            if let range = text.range(of: #"listening on [0-9.]+:([0-9]+)"#, options: .regularExpression) {
                let match = String(text[range])
                port = Int(match.split(separator: ":").last ?? "") ?? 0
                break
            }
        }
        guard port > 0 else {
            process.terminate()
            throw CocoaError(
                .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not report its port: \(text)"])
        }
    }

    /// `127.0.0.1:PORT`.
    var address: String { "127.0.0.1:\(port)" }

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
