import Testing

@testable import ChurnChaos

/// The chaos writer's ack lines and the check of acknowledged writes after crashes.
@Suite("Chaos acknowledgements")
struct ChaosAckCheckTests {
    @Test func linesRoundTripAndJunkIsIgnored() {
        let acks: [ChaosAck] = [
            .dataset(name: "d", sha256: "ab12"), .model(name: "m", version: 3, sha256: "cd34"),
            .aliasAttempt(name: "m", alias: "production", version: 2),
            .alias(name: "m", alias: "production", version: 2),
            .job(id: "17"),
        ]
        for ack in acks { #expect(ChaosAck(line: ack.description) == ack) }
        #expect(ChaosAck(line: "ack model m x cd34") == nil)
        #expect(ChaosAck(line: "ack dataset d") == nil)
        #expect(ChaosAck(line: "ack job") == nil)
        #expect(ChaosAck(line: "") == nil)
    }

    @Test func everythingPresentIsNoProblem() {
        let acks: [ChaosAck] = [
            .dataset(name: "d", sha256: "AB12"), .model(name: "m", version: 1, sha256: "x1"),
            .aliasAttempt(name: "m", alias: "p", version: 1), .alias(name: "m", alias: "p", version: 1),
            .aliasAttempt(name: "m", alias: "p", version: 2), .alias(name: "m", alias: "p", version: 2),
            .job(id: "5"),
        ]
        let state = ChaosAckCheck.State(
            datasets: ["d@ab12"], models: ["m@1": "x1"], aliasHistory: ["m@p": [1, 1, 2]], aliasNow: ["m@p": 2],
            jobs: ["5"])
        let summary = ChaosAckCheck.check(acks, against: state)
        #expect(summary.problems.isEmpty)
        #expect(summary.datasets == 1 && summary.models == 1 && summary.aliasMoves == 2 && summary.jobs == 1)
    }

    @Test func missingOrChangedWritesAreEachReported() {
        let acks: [ChaosAck] = [
            .dataset(name: "d", sha256: "ab12"), .model(name: "m", version: 1, sha256: "x1"),
            .model(name: "m", version: 2, sha256: "x2"), .job(id: "5"),
        ]
        let state = ChaosAckCheck.State(models: ["m@1": "other"])
        let problems = ChaosAckCheck.check(acks, against: state).problems
        #expect(problems.count == 4)
        #expect(problems.contains { $0.contains("dataset d@ab12") })
        #expect(problems.contains { $0.contains("m@1 holds bundle other") })
        #expect(problems.contains { $0.contains("m@2 is missing") })
        #expect(problems.contains { $0.contains("job 5") })
    }

    /// The alias may point to a later attempted move whose answer was lost, never to an older one;
    /// acknowledged moves must appear in the history in order.
    @Test func aliasRules() {
        let acks: [ChaosAck] = [
            .aliasAttempt(name: "m", alias: "p", version: 1), .alias(name: "m", alias: "p", version: 1),
            .aliasAttempt(name: "m", alias: "p", version: 2), .alias(name: "m", alias: "p", version: 2),
            .aliasAttempt(name: "m", alias: "p", version: 3),
        ]
        func problems(history: [Int], now: Int?) -> [String] {
            ChaosAckCheck.check(
                acks,
                against: ChaosAckCheck.State(aliasHistory: ["m@p": history], aliasNow: now.map { ["m@p": $0] } ?? [:])
            ).problems
        }
        #expect(problems(history: [1, 2], now: 2).isEmpty)
        #expect(problems(history: [1, 2, 3], now: 3).isEmpty)
        #expect(problems(history: [1, 2], now: 1).count == 1)
        #expect(problems(history: [2, 1], now: 2).count == 1)
        #expect(problems(history: [1, 2], now: nil).count == 1)
    }

    /// Moving an alias to the version it already points to records no history entry, so two
    /// acknowledged moves in a row to the same version need only one entry.
    @Test func repeatedMoveNeedsOneHistoryEntry() {
        let acks: [ChaosAck] = [
            .alias(name: "m", alias: "p", version: 1), .alias(name: "m", alias: "p", version: 1),
            .alias(name: "m", alias: "p", version: 2),
        ]
        let state = ChaosAckCheck.State(aliasHistory: ["m@p": [1, 2]], aliasNow: ["m@p": 2])
        #expect(ChaosAckCheck.check(acks, against: state).problems.isEmpty)
        let lost = ChaosAckCheck.State(aliasHistory: ["m@p": [2]], aliasNow: ["m@p": 2])
        #expect(ChaosAckCheck.check(acks, against: lost).problems.count == 1)
    }

    @Test func subsequence() {
        #expect(ChaosAckCheck.isSubsequence([1, 2], of: [1, 3, 2]))
        #expect(!ChaosAckCheck.isSubsequence([2, 1], of: [1, 3, 2]))
        #expect(ChaosAckCheck.isSubsequence([], of: []))
        #expect(!ChaosAckCheck.isSubsequence([1, 1], of: [1]))
    }
}
