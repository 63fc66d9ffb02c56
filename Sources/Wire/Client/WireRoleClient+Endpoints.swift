import NIOCore
import NIOPosix

extension WireRoleClient {
    /// Connects to the first of `endpoints` that accepts (TCP and Hello), trying them in order,
    /// each once — a DNS name each address it resolves to (``RoleEndpoint/resolve(with:)``),
    /// or itself when it does not resolve; a refusal of Hello by the server
    /// (``RegistryUnreachable/isRefusal(_:)``) or the caller's cancellation is thrown as it is
    /// (``RegistryUnreachable/endsFailover(_:)``); throws ``RegistryUnreachable``
    /// naming every address and its failure when none does.
    public static func connect(
        endpoints: RoleEndpoints, configuration: WireClientConfiguration = WireClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        resolver: any AddressResolver = SystemAddressResolver()
    ) async throws -> Self {
        var attempts: [RegistryUnreachable.Attempt] = []
        for configured in endpoints.all {
            for endpoint in await configured.resolve(with: resolver) ?? [configured] {
                do {
                    return try await connect(
                        host: endpoint.connectHost, port: endpoint.port, configuration: configuration, group: group)
                } catch {
                    if RegistryUnreachable.endsFailover(error) { throw error }
                    attempts.append(.init(endpoint: endpoint, reason: "\(error)"))
                }
            }
        }
        throw RegistryUnreachable(attempts: attempts)
    }
}
