import Wire

/// One sending connection of `churn-chaos hostile`: Hello, then batches of hostile frames each
/// followed by a barrier Ping; a frame that breaks the stream is written after the barrier, and
/// the connection replaced.
package struct ChaosHostileWorker: Sendable {
    /// The role's address, its request templates, and frames per batch.
    package let host: String
    package let port: Int
    package let templates: [[UInt8]]
    package let batch: Int

    /// A worker sending to `host:port`, mutating `templates`, `batch` frames per barrier.
    package init(host: String, port: Int, templates: [[UInt8]], batch: Int) {
        self.host = host
        self.port = port
        self.templates = templates
        self.batch = batch
    }

    /// Sends `frames` frames from a generator seeded with `seed`.
    package func run(frames: Int, seed: UInt64) async -> ChaosHostileTally {
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
