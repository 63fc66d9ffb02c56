import NIOCore
import NIOPosix

extension WireRoleClient {
    /// Connects to the first of `endpoints` that accepts (TCP and Hello), trying them in order,
    /// each once; a refusal of Hello by the server (``RegistryUnreachable/isRefusal(_:)``) is thrown
    /// as it is; throws ``RegistryUnreachable`` naming every address and its failure when none does.
    public static func connect(
        endpoints: RegistryEndpoints, configuration: WireClientConfiguration = WireClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Self {
        var attempts: [RegistryUnreachable.Attempt] = []
        for endpoint in endpoints.all {
            do {
                return try await connect(host: endpoint.host, port: endpoint.port, configuration: configuration, group: group)
            } catch {
                if RegistryUnreachable.isRefusal(error) { throw error }
                attempts.append(.init(endpoint: endpoint, reason: "\(error)"))
            }
        }
        throw RegistryUnreachable(attempts: attempts)
    }
}
