import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// Options shared by every registry client command (`churn datasets …`, `churn models …`).
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: "Registry address HOST:PORT (else CHURN_REGISTRY, else 127.0.0.1:7400).")
    var registry: String?

    @Option(name: .long, help: "File holding the shared token (else CHURN_TOKEN; needed for writes when the registry has one).")
    var tokenFile: String?

    @Flag(name: .long, help: "Print the records as JSON instead of tables.")
    var json = false

    /// The registry address to use.
    func address() throws -> ListenAddress {
        let text = registry ?? ProcessInfo.processInfo.environment["CHURN_REGISTRY"] ?? "127.0.0.1:7400"
        guard let address = ListenAddress(parsing: text) else {
            throw ValidationError("registry address '\(text)' is not HOST:PORT")
        }
        return address
    }

    /// The token from `--token-file` or `CHURN_TOKEN`, if any.
    func token() throws -> String? {
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ValidationError("cannot read token file '\(tokenFile)'")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let value = ProcessInfo.processInfo.environment["CHURN_TOKEN"], !value.isEmpty { return value }
        return nil
    }

    /// Connects, runs `body`, closes; any failure is printed as one line on standard error and
    /// ends the command with exit status 1.
    func withClient<T>(_ body: (RegistryClient) async throws -> T) async throws -> T {
        let address = try address()
        let client: RegistryClient
        do {
            client = try await RegistryClient.connect(
                host: address.host, port: address.port,
                configuration: WireClientConfiguration(clientName: "churn-cli", token: try token()))
        } catch {
            RegistryOptions.fail("cannot reach the registry at \(address.host):\(address.port): \(error)")
        }
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch let error as WireClientError {
            await client.close()
            if case .server(let code, let message, let field) = error {
                RegistryOptions.fail("\(message)" + (field.map { " (field \($0))" } ?? "") + " [\(code)]")
            }
            RegistryOptions.fail(error.description)
        } catch let error as ValidationError {
            await client.close()
            throw error
        } catch {
            await client.close()
            RegistryOptions.fail("\(error)")
        }
    }

    /// Prints `error: message` on standard error and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        Foundation.exit(1)
    }

    /// Reads a whole local file.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read '\(path)'")
        }
        return [UInt8](data)
    }

    /// Writes a whole local file.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw ValidationError("cannot write '\(path)'")
        }
    }
}
