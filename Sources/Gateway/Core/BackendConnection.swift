import Logging
import ServiceKit
import Wire

/// The gateway's connections to one role: a ``WirePool`` over the role's replicas (one or more;
/// a DNS name counts as one replica per address it resolves to), shared by every HTTP request. Calls are balanced over the replicas in rotation and pipelined
/// on a few connections to each; a replica whose connection fails or whose Health is not
/// `serving` leaves the rotation until a probe finds it serving again.
final class BackendConnection: Sendable {
    /// The role's name in messages (`predictor`, `registry`, `trainer`).
    let role: String
    /// Where the role listens (its replicas; never empty).
    let addresses: [ListenAddress]
    /// The addresses as given: `host:port`, comma-separated when there are several.
    var address: String { addresses.map(\.description).joined(separator: ",") }
    /// The balanced connections.
    let pool: WirePool

    /// Creates the (not yet opened) pool over `addresses` (at least one), with `size` connections
    /// to each replica.
    init(role: String, addresses: [ListenAddress], configuration: WireClientConfiguration, size: Int = 4) {
        self.role = role
        self.addresses = addresses
        pool = WirePool(
            role: role, endpoints: addresses.map { RoleEndpoint(host: $0.host, port: $0.port) },
            configuration: configuration,
            connectionsPerReplica: size)
    }

    /// Runs `body` on a replica (see ``WirePool/run(retrying:keys:_:)``); errors become
    /// ``GatewayError``s: no replica reachable is 503, a timeout 504, the role's own errors keep
    /// their meaning; a cancelled call stays a `CancellationError`.
    func run<T: Sendable>(_ body: (WireClient, IdempotencyKeys) async throws -> T) async throws -> T {
        do {
            return try await pool.run(body)
        } catch let error as RegistryUnreachable {
            throw unreachable(error)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw GatewayError.from(error, role: role)
        }
    }

    /// The 503 for a role that cannot be reached: names the one replica tried, or lists every
    /// replica's failure (a DNS name's replicas each with its address).
    private func unreachable(_ error: RegistryUnreachable) -> GatewayError {
        if error.attempts.count == 1, let only = error.attempts.first {
            return GatewayError(
                status: .serviceUnavailable, code: "\(role)_unreachable",
                message: "the \(role) at \(only.endpoint) cannot be reached: \(only.reason)")
        }
        return GatewayError(
            status: .serviceUnavailable, code: "\(role)_unreachable", message: "the \(role) cannot be reached: \(error)"
        )
    }

    /// Closes every connection (at shutdown).
    func close() async {
        await pool.close()
    }
}
