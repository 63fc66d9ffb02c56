import Wire

/// Counters of `churn-chaos hostile` (merged across connections and rounds).
package struct ChaosHostileTally: Sendable {
    /// Frames sent, answers received, connections opened and refused, closes by the server, barriers unanswered.
    package var frames = 0, answers = 0, connections = 0, refusedConnects = 0, serverCloses = 0, barrierTimeouts = 0
    /// Frames sent per kind of damage.
    package var byMutation: [HostileMutation: Int] = [:]

    /// An empty tally.
    package init() {}

    /// Adds `other` into this tally.
    package mutating func merge(_ other: ChaosHostileTally) {
        frames += other.frames
        answers += other.answers
        connections += other.connections
        refusedConnects += other.refusedConnects
        serverCloses += other.serverCloses
        barrierTimeouts += other.barrierTimeouts
        byMutation.merge(other.byMutation, uniquingKeysWith: +)
    }

    /// The JSON fields.
    package var fields: [(String, String)] {
        let mutations = HostileMutation.allCases.map { "\"\($0.rawValue)\": \(byMutation[$0, default: 0])" }
        return [
            ("frames", "\(frames)"), ("answers", "\(answers)"), ("connections", "\(connections)"),
            ("refused_connects", "\(refusedConnects)"), ("server_closes", "\(serverCloses)"),
            ("barrier_timeouts", "\(barrierTimeouts)"), ("mutations", "{" + mutations.joined(separator: ", ") + "}"),
        ]
    }
}
