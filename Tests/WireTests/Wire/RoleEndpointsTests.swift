import Testing
import Wire

/// Parsing of address lists (`--registry a:7400,b:7400`, `--predictor …`, `CHURN_REGISTRY`).
@Suite("Registry endpoints")
struct RoleEndpointsTests {
    @Test("good lists keep their order; IPv6 literals lose their brackets; spaces around entries are ignored")
    func goodLists() throws {
        let one = try RoleEndpoints(parsing: "registry:7400", role: "registry")
        #expect(one.all == [RoleEndpoint(host: "registry", port: 7400)])
        let three = try RoleEndpoints(parsing: "reg-b.example:7401, 10.0.0.5:7400 ,[::1]:7402", role: "registry")
        #expect(three.all.map(\.host) == ["reg-b.example", "10.0.0.5", "::1"])
        #expect(three.all.map(\.port) == [7401, 7400, 7402])
        #expect(three.first == RoleEndpoint(host: "reg-b.example", port: 7401))
        #expect(three.count == 3)
        // Printed back as given, brackets restored: it parses to the same list.
        #expect(three.description == "reg-b.example:7401,10.0.0.5:7400,[::1]:7402")
        #expect(try RoleEndpoints(parsing: three.description, role: "registry") == three)
        // The same host on two ports is two replicas.
        #expect(try RoleEndpoints(parsing: "a:1,a:2", role: "registry").count == 2)
    }

    @Test(
        "each bad form is refused with a message naming the entry and its position",
        arguments: [
            ("a:7400,x,b:7400", "registry address 'x' (entry 2 of 3) is not HOST:PORT"),
            ("a:7400,", "registry address '' (entry 2 of 2) is not HOST:PORT"),
            (",a:7400", "registry address '' (entry 1 of 2) is not HOST:PORT"),
            ("a", "registry address 'a' (entry 1 of 1) is not HOST:PORT"),
            ("a:", "registry address 'a:' (entry 1 of 1) is not HOST:PORT"),
            (":7400", "registry address ':7400' (entry 1 of 1) is not HOST:PORT"),
            ("a:0", "registry address 'a:0' (entry 1 of 1) is not HOST:PORT"),
            ("a:65536", "registry address 'a:65536' (entry 1 of 1) is not HOST:PORT"),
            ("a:+1", "registry address 'a:+1' (entry 1 of 1) is not HOST:PORT"),
            ("a:7400,::1:7400", "registry address '::1:7400' (entry 2 of 2) is not HOST:PORT"),
            ("[::1:7400", "registry address '[::1:7400' (entry 1 of 1) is not HOST:PORT"),
            ("[]:7400", "registry address '[]:7400' (entry 1 of 1) is not HOST:PORT"),
            ("a b:7400", "registry address 'a b:7400' (entry 1 of 1) is not HOST:PORT"),
            ("http://a:7400", "registry address 'http://a:7400' (entry 1 of 1) is not HOST:PORT"),
            ("a:1,b:2,A:1", "registry address 'A:1' (entry 3 of 3) repeats entry 1"),
            ("[::1]:9,b:2,[::1]:9", "registry address '[::1]:9' (entry 3 of 3) repeats entry 1"),
            ("", "registry address list is empty: give HOST:PORT[,HOST:PORT…]"),
            (" , ", "registry address list is empty: give HOST:PORT[,HOST:PORT…]"),
        ])
    func badLists(text: String, message: String) {
        let error = #expect(throws: RoleEndpointsError.self) { try RoleEndpoints(parsing: text, role: "registry") }
        #expect(error?.description == message)
    }

    @Test("a list built from addresses refuses an empty list and duplicates too")
    func builtLists() {
        #expect(throws: RoleEndpointsError(role: "registry", problem: .empty)) { try RoleEndpoints([]) }
        let a = RoleEndpoint(host: "a", port: 1)
        let duplicate = RoleEndpointsError(
            role: "trainer", problem: .duplicate(entry: "a:1", index: 2, count: 2, first: 1))
        #expect(throws: duplicate) { try RoleEndpoints([a, a], role: "trainer") }
        #expect(duplicate.description == "trainer address 'a:1' (entry 2 of 2) repeats entry 1")
    }

    @Test("the unreachable error names every address tried and why, in order")
    func unreachableNamesEveryAddress() {
        let error = RegistryUnreachable(attempts: [
            .init(endpoint: RoleEndpoint(host: "a", port: 1), reason: "connection refused"),
            .init(endpoint: RoleEndpoint(host: "::1", port: 2), reason: "connection closed"),
        ])
        #expect(error.description == "no registry answered: a:1 (connection refused), [::1]:2 (connection closed)")
    }
}
