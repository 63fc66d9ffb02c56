import Wire

/// Counters of `churn chaos hostile` (merged across connections and rounds).
struct ChaosHostileTally: Sendable {
    /// Frames sent, answers received, connections opened and refused, closes by the server, barriers unanswered.
    var frames = 0, answers = 0, connections = 0, refusedConnects = 0, serverCloses = 0, barrierTimeouts = 0
    /// Frames sent per kind of damage.
    var byMutation: [HostileMutation: Int] = [:]

    /// Adds `other` into this tally.
    mutating func merge(_ other: ChaosHostileTally) {
        frames += other.frames
        answers += other.answers
        connections += other.connections
        refusedConnects += other.refusedConnects
        serverCloses += other.serverCloses
        barrierTimeouts += other.barrierTimeouts
        byMutation.merge(other.byMutation, uniquingKeysWith: +)
    }

    /// The JSON fields.
    var fields: [(String, String)] {
        let mutations = HostileMutation.allCases.map { "\"\($0.rawValue)\": \(byMutation[$0, default: 0])" }
        return [
            ("frames", "\(frames)"), ("answers", "\(answers)"), ("connections", "\(connections)"),
            ("refused_connects", "\(refusedConnects)"), ("server_closes", "\(serverCloses)"),
            ("barrier_timeouts", "\(barrierTimeouts)"), ("mutations", "{" + mutations.joined(separator: ", ") + "}"),
        ]
    }
}

/// One sending connection of `churn chaos hostile`: Hello, then batches of hostile frames each
/// followed by a barrier Ping; a frame that breaks the stream is written after the barrier, and
/// the connection replaced.
struct ChaosHostileWorker: Sendable {
    /// The role's address, its request templates, and frames per batch.
    let host: String
    let port: Int
    let templates: [[UInt8]]
    let batch: Int

    /// Sends `frames` frames from a generator seeded with `seed`.
    func run(frames: Int, seed: UInt64) async -> ChaosHostileTally {
        var tally = ChaosHostileTally()
        var generator = HostileFrameGenerator(seed: seed, templates: templates)
        var connection: HostileConnection?
        var failedConnects = 0
        while tally.frames < frames {
            if connection == nil {
                do {
                    connection = try await HostileConnection.open(host: host, port: port, token: nil)
                    tally.connections += 1
                } catch {
                    tally.refusedConnects += 1
                    failedConnects += 1
                    if failedConnects > 50 { break }
                    try? await Task.sleep(nanoseconds: 20_000_000)
                    continue
                }
            }
            guard let open = connection else { break }
            var bytes: [UInt8] = []
            var breaker: [UInt8]?
            var count = 0
            while count < batch, tally.frames + count < frames {
                let frame = generator.next()
                tally.byMutation[frame.mutation, default: 0] += 1
                count += 1
                if !frame.mutation.keepsFraming {
                    breaker = frame.bytes
                    break
                }
                bytes += frame.bytes
            }
            tally.frames += count
            await open.write(bytes)
            let outcome = await open.barrier(timeout: .seconds(5))
            if outcome == .answered, breaker == nil { continue }
            switch outcome {
            case .answered: break
            case .closed: tally.serverCloses += 1
            case .timedOut: tally.barrierTimeouts += 1
            }
            if let breaker, outcome == .answered { await open.write(breaker) }
            tally.answers += await open.close()
            connection = nil
        }
        if let connection { tally.answers += await connection.close() }
        return tally
    }
}
