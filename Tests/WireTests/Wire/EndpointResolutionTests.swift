import Testing
import Wire

/// How a name's resolved addresses become replicas (``RoleEndpoint/replicas(resolvedTo:)``),
/// and which hosts are IP literals that are never looked up.
@Suite("Endpoint resolution")
struct EndpointResolutionTests {
    let named = RoleEndpoint(host: "predictor", port: 7402)

    @Test("several IPv4 addresses are one replica each, in the resolver's order, without duplicates; the name is kept")
    func severalAddresses() {
        let replicas = named.replicas(resolvedTo: ["172.18.0.5", "172.18.0.3", "172.18.0.5", "172.18.0.4"])
        #expect(replicas.map(\.address) == ["172.18.0.5", "172.18.0.3", "172.18.0.4"])
        #expect(replicas.allSatisfy { $0.host == "predictor" && $0.port == 7402 })
        #expect(replicas.map(\.connectHost) == ["172.18.0.5", "172.18.0.3", "172.18.0.4"])
        #expect(replicas[0].description == "predictor:7402 (172.18.0.5)")
    }

    @Test("dual-stack replicas count once (IPv4 preferred); an IPv6-only name gives its IPv6 addresses")
    func families() {
        let dual = named.replicas(resolvedTo: ["fd00::5", "172.18.0.5", "fd00::6", "172.18.0.6"])
        #expect(dual.map(\.address) == ["172.18.0.5", "172.18.0.6"])
        let v6 = named.replicas(resolvedTo: ["fd00::5", "fd00::6"])
        #expect(v6.map(\.address) == ["fd00::5", "fd00::6"])
        #expect(v6[0].description == "predictor:7402 (fd00::5)")
    }

    @Test(
        "one address is one replica at that address; one per family (localhost) is the name itself; nothing is the name"
    )
    func singleHost() {
        #expect(
            named.replicas(resolvedTo: ["127.0.0.1"]) == [
                RoleEndpoint(host: "predictor", port: 7402, address: "127.0.0.1")
            ])
        #expect(
            named.replicas(resolvedTo: ["::1"]) == [RoleEndpoint(host: "predictor", port: 7402, address: "::1")])
        #expect(named.replicas(resolvedTo: ["127.0.0.1", "::1"]) == [named])
        #expect(named.replicas(resolvedTo: []) == [named])
        #expect(named.description == "predictor:7402")
    }

    @Test("IP literals are never looked up and keep their description")
    func literals() async {
        for host in ["10.0.0.5", "127.0.0.1", "::1", "fe80::1%eth0", "2001:db8::7"] {
            #expect(RoleEndpoint(host: host, port: 1).hostIsIPLiteral, "\(host)")
        }
        for host in ["predictor", "localhost", "10.0.0", "registry.internal", "1.2.3.4.example"] {
            #expect(!RoleEndpoint(host: host, port: 1).hostIsIPLiteral, "\(host)")
        }
        let failing = ClosureAddressResolver { host in
            throw AddressResolutionError(host: host, reason: "unexpected lookup")
        }
        let literal = RoleEndpoint(host: "10.0.0.5", port: 7400)
        #expect(await literal.resolve(with: failing) == [literal])
        #expect(await named.resolve(with: failing) == nil)
        #expect(literal.description == "10.0.0.5:7400")
        #expect(RoleEndpoint(host: "::1", port: 7400).description == "[::1]:7400")
    }
}
