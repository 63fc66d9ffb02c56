extension RoleEndpoints {
    /// A list of the one address `address` (a role started in-process, `churn serve all`).
    public init(_ address: ListenAddress) {
        self.init(host: address.host, port: address.port)
    }

    /// The addresses as ``ListenAddress``es, in order.
    public var listenAddresses: [ListenAddress] {
        all.map { ListenAddress(host: $0.host, port: $0.port) }
    }
}
