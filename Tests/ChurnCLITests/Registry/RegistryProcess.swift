import Foundation

/// A `churn serve registry` child process on a free port, for CLI tests.
final class RegistryProcess {
    /// The running process.
    let process: Process
    /// `127.0.0.1:PORT`.
    let address: String

    /// Starts the server over `dataDirectory` and waits (up to 30 s) for its "listening on" line.
    init(dataDirectory: String, extra: [String] = []) throws {
        let process = Process()
        process.executableURL = ChurnProcess.executable
        process.arguments =
            [
                "serve", "registry", "--listen", "127.0.0.1:0", "--data-dir", dataDirectory, "--gc-grace", "0",
                "--log-level", "error",
            ] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
                let port = line.split(separator: ":").last.map({ String($0).trimmingCharacters(in: .whitespaces) })
            {
                address = "127.0.0.1:" + port
                return
            }
        }
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "registry did not start: \(text)"])
    }

    /// Stops the server (SIGTERM) and waits for it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
