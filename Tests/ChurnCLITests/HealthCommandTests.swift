import Testing

@Suite("churn health")
struct HealthCommandTests {
    @Test("a serving server exits 0; an unreachable address exits 1 and says so")
    func health() throws {
        let server = try ServerProcess(role: "base")
        let serving = try ChurnProcess.run(["health", "--addr", server.address])
        #expect(serving.status == 0)
        #expect(serving.stdout.contains("serving (base)"))
        #expect(server.stop() == 0, "graceful shutdown on SIGTERM exits 0")
        let gone = try ChurnProcess.run(["health", "--addr", server.address, "--json"])
        #expect(gone.status == 1)
        #expect(gone.stdout.contains("\"unreachable\""))
    }
}
