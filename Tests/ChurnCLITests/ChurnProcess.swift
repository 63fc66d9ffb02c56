import Foundation

/// Runs the built `churn` executable as a child process, the way a user would.
struct ChurnProcess {
    /// Exit status, standard output and standard error of one run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `churn` binary built next to the test bundle.
    static let executable: URL = locate("churn")

    /// The `churn-chaos` binary (the reliability drills), built next to `churn`.
    static let chaosExecutable: URL = locate("churn-chaos")

    /// The built executable `name`: next to the test bundle, else in `.build/debug`.
    static func locate(_ name: String) -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        for directory in candidates {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent(name)
    }

    /// Runs `churn arguments…` to completion.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        try run(executable, arguments, in: directory)
    }

    /// Runs `churn-chaos arguments…` to completion.
    static func runChaos(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        try run(chaosExecutable, arguments, in: directory)
    }

    /// Runs `program arguments…` to completion.
    static func run(_ program: URL, _ arguments: [String], in directory: URL?) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("churn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
