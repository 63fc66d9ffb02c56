import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// What every client command (`churn datasets|models|jobs …`) does the same way: find the role's
/// address, read the token, and run one connection with failures reported as one line.
enum ClientSession {
    /// `given`, else the environment variable `variable`, else `fallback`, parsed as HOST:PORT.
    static func address(_ given: String?, variable: String, fallback: String, role: String) throws -> ListenAddress {
        let text = given ?? ProcessInfo.processInfo.environment[variable] ?? fallback
        guard let address = ListenAddress(parsing: text) else {
            throw ValidationError("\(role) address '\(text)' is not HOST:PORT")
        }
        return address
    }

    /// `given`, else the environment variable `variable`, else `fallback`, parsed as a
    /// comma-separated list of registry replicas (`a:7400,b:7400`); the error names the bad entry.
    static func endpoints(_ given: String?, variable: String, fallback: String) throws -> RegistryEndpoints {
        let text = given ?? ProcessInfo.processInfo.environment[variable] ?? fallback
        do {
            return try RegistryEndpoints(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Connects with `connect`, runs `body`, closes with `close`. A connection failure, a server
    /// error or any other failure is printed as one `error:` line on standard error and ends the
    /// command with exit status 1; validation errors and exit codes pass through.
    static func run<Client, T>(
        role: String, address: some CustomStringConvertible, connect: (WireClientConfiguration) async throws -> Client,
        close: (Client) async -> Void, token: String?, _ body: (Client) async throws -> T
    ) async throws -> T {
        let client: Client
        do {
            client = try await connect(WireClientConfiguration(clientName: "churn-cli", token: token))
        } catch let error as RegistryUnreachable {
            fail("cannot reach the \(role): \(error)")
        } catch {
            fail("cannot reach the \(role) at \(address): \(error)")
        }
        do {
            let result = try await body(client)
            await close(client)
            return result
        } catch let error as WireClientError {
            await close(client)
            if case .server(let code, let message, let field) = error {
                fail("\(message)" + (field.map { " (field \($0))" } ?? "") + " [\(code)]")
            }
            fail(error.description)
        } catch let error as ValidationError {
            await close(client)
            throw error
        } catch let error as ExitCode {
            await close(client)
            throw error
        } catch {
            await close(client)
            fail("\(error)")
        }
    }

    /// Prints `error: message` on standard error and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        Foundation.exit(1)
    }
}
