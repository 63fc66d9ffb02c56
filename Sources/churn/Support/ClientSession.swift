import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// What every client command (`churn datasets|models|jobs …`) does the same way: find the role's
/// replicas, read the token, and run one call through a pool with failures reported as one line.
enum ClientSession {
    /// `given`, else the environment variable `variable`, else `fallback`, parsed as a
    /// comma-separated list of `role`'s replicas (`a:7400,b:7400`); the error names the bad entry,
    /// and the variable when the list came from it.
    static func endpoints(_ given: String?, role: String, variable: String, fallback: String) throws -> RoleEndpoints {
        let fromVariable = given == nil ? ProcessInfo.processInfo.environment[variable] : nil
        let text = given ?? fromVariable ?? fallback
        do {
            return try RoleEndpoints(parsing: text, role: role)
        } catch {
            throw ValidationError(fromVariable == nil ? error.description : "\(variable): \(error)")
        }
    }

    /// Runs `body` on a connection to one of the role's replicas `endpoints` (a ``WirePool``: a
    /// replica that cannot be reached, or whose connection fails during the call, is left for
    /// another). The call is repeated on another replica only after a connection failure, with the
    /// same idempotency keys, so its keyed writes are applied once (wire.md §2.4) and its reads
    /// simply run again. A connection failure, a server error or any other failure is printed as
    /// one `error:` line on standard error and ends the command with exit status 1; validation
    /// errors and exit codes pass through.
    static func run<Client: KeyedRoleClient, T: Sendable>(
        role: String, endpoints: RoleEndpoints, token: String?, _ body: (Client) async throws -> T
    ) async throws -> T {
        let pool = WirePool(
            role: role, endpoints: endpoints.all,
            configuration: WireClientConfiguration(clientName: "churn-cli", token: token),
            connectionsPerReplica: 1)
        do {
            let result = try await pool.run { wire, keys in try await body(Client(wire: wire, keys: keys)) }
            await pool.close()
            return result
        } catch let error as ValidationError {
            await pool.close()
            throw error
        } catch let error as ExitCode {
            await pool.close()
            throw error
        } catch {
            await pool.close()
            fail(message(for: error, role: role, endpoints: endpoints))
        }
    }

    /// The one-line message for a failed call.
    private static func message(for error: any Error, role: String, endpoints: RoleEndpoints) -> String {
        switch error {
        case let error as RegistryUnreachable:
            return "cannot reach the \(role): \(error)"
        case WireClientError.server(let code, let message, let field):
            return "\(message)" + (field.map { " (field \($0))" } ?? "") + " [\(code)]"
        case let error as WireClientError where RegistryLink.isConnectionFailure(error):
            return "lost the connection to the \(role) at \(endpoints): \(error)"
        case let error as WireClientError:
            return error.description
        default:
            return "\(error)"
        }
    }

    /// Prints `error: message` on standard error and exits with status 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        Foundation.exit(1)
    }
}
