import ChurnChaos
import Testing

@testable import Registry

@Suite("Crash drill helper")
struct CrashDrillTests {
    @Test("acknowledgement lines round-trip; cut lines are rejected")
    func lines() {
        let ack = CrashDrill.Acknowledgement(
            name: "bank", version: 12, bundleSHA256: String(repeating: "ab", count: 32))
        #expect(CrashDrill.Acknowledgement(line: ack.description) == ack)
        #expect(CrashDrill.Acknowledgement(line: String(ack.description.dropLast())) == nil)
        #expect(CrashDrill.Acknowledgement(line: "ack bank 12") == nil)
        #expect(CrashDrill.Acknowledgement(line: "ack bank x " + String(repeating: "ab", count: 32)) == nil)
    }

    @Test("the loop acknowledges durable versions, verify passes after reopening, and catches a lost version")
    func loopAndVerify() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var acknowledged: [CrashDrill.Acknowledgement] = []
        do {
            let store = try RegistryStore(directory: directory.path)
            try await CrashDrill.publishLoop(store: store, name: "drill", rounds: 12, seed: 7) {
                acknowledged.append($0)
            }
        }
        #expect(acknowledged.map(\.version) == Array(1...12))
        let reopened = try RegistryStore(directory: directory.path)
        #expect(try await CrashDrill.verify(store: reopened, name: "drill", acknowledged: acknowledged).isEmpty)
        #expect(try await reopened.model("drill@latest-ok").version == 10)
        // An acknowledgement the store cannot back is reported.
        let phantom = CrashDrill.Acknowledgement(name: "drill", version: 13, bundleSHA256: acknowledged[0].bundleSHA256)
        let problems = try await CrashDrill.verify(
            store: reopened, name: "drill", acknowledged: acknowledged + [phantom])
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("drill@13 was acknowledged") == true)
    }
}
