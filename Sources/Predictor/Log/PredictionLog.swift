import Foundation
import Logging
import Metrics
import NIOCore
import ServiceKit
import ServiceLifecycle
import Synchronization

/// The durable, append-only log of the predictions a predictor answers (``PredictionLogEntry``).
///
/// Logging never blocks a prediction: ``record(request:response:)`` copies the request and response
/// bodies, as one record, into a bounded pending buffer on the request path and returns; a
/// background task takes the buffer every ``PredictionLogConfiguration/flushInterval``, seals the
/// records with their checksums and writes them as one batch, fsynced, on ``BlockingIO``. When
/// the queue is full the entry is dropped and counted (`predictor_log_dropped_total`, and a note
/// in Health). ``written`` counts the entries that are on disk for good.
public final class PredictionLog: Service, Sendable {
    /// How it logs.
    public let configuration: PredictionLogConfiguration

    /// Records waiting to be written, unsealed, back to back.
    private struct Queue {
        var records = ByteBuffer()
        var count = 0
    }

    private let queue = Mutex(Queue())
    private let writer: Mutex<PredictionLogWriter>
    private let requests = Atomic<UInt64>(0)
    private let writtenCount = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)
    /// Requests whose scrambled sequence number is below this (of 2^53) are logged.
    private let sampleThreshold: UInt64
    /// The top 24 bits of every request id.
    private let idPrefix: UInt64
    private let logger = Logger(label: "churn.predictor.log")
    private let writtenCounter = Counter(label: "predictor_log_written_total")
    private let droppedCounter = Counter(label: "predictor_log_dropped_total")
    private let failedCounter = Counter(label: "predictor_log_failed_total")

    /// A log writing to `configuration.directory` (created when the first batch is written).
    public init(configuration: PredictionLogConfiguration) {
        self.configuration = configuration
        let rate = min(max(configuration.sampleRate, 0), 1)
        sampleThreshold = UInt64(rate * Double(UInt64(1) << 53))
        let writerID = UInt32.random(in: 0..<(1 << 24))
        idPrefix = UInt64(writerID) << 40
        writer = Mutex(PredictionLogWriter(configuration: configuration, writerID: writerID))
    }

    /// Entries written and fsynced.
    public var written: Int { writtenCount.load(ordering: .relaxed) }
    /// Entries dropped because the queue was full.
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }
    /// Entries lost to a failed write (the error is logged).
    public var failed: Int { failedCount.load(ordering: .relaxed) }

    /// A line for Health when entries were lost, nil otherwise.
    public var healthNote: String? {
        let dropped = self.dropped
        let failed = self.failed
        guard dropped > 0 || failed > 0 else { return nil }
        var parts: [String] = []
        if dropped > 0 { parts.append("\(dropped) dropped (queue full)") }
        if failed > 0 { parts.append("\(failed) lost to write errors") }
        return "prediction log: " + parts.joined(separator: ", ")
    }

    /// Logs one answered Predict, if it is sampled: called on the request path, it only copies
    /// both bodies into the pending buffer.
    public func record(request: ByteBuffer, response: ByteBuffer) {
        let sequence = requests.wrappingAdd(1, ordering: .relaxed).newValue
        guard (sequence &* 0x9E37_79B9_7F4A_7C15) >> 11 < sampleThreshold else { return }
        let requestID = idPrefix | (sequence & 0xFF_FFFF_FFFF)
        let timeMillis = Self.nowMillis()
        let size =
            PredictionLogEntry.headerBytes + PredictionLogEntry.fixedPayloadBytes + request.readableBytes
            + response.readableBytes
        let queued = queue.withLock { queue in
            guard queue.count < configuration.queueCapacity,
                queue.records.readableBytes + size <= configuration.queueBytes
            else { return false }
            PredictionLogEntry.appendUnsealed(
                requestID: requestID, timeMillis: timeMillis, request: request, response: response, to: &queue.records)
            queue.count += 1
            return true
        }
        if !queued {
            droppedCount.add(1, ordering: .relaxed)
            droppedCounter.increment()
        }
    }

    /// Writes everything queued so far, and returns once it is on disk (or counted as failed).
    public func flush() async {
        do {
            try await BlockingIO.run { self.writeQueued() }
        } catch {
            // The pool is shutting down (process exit): write here rather than lose the batch.
            writeQueued()
        }
    }

    /// Writes the queue every flush interval until graceful shutdown, then once more and closes
    /// the segment.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.configuration.flushInterval)
                await self.flush()
            }
        }
        await flush()
        writer.withLock { $0.close() }
    }

    /// Takes the pending records (leaving the writer's spare buffer in their place) and writes
    /// them, under the writer's lock so batches land in order.
    private func writeQueued() {
        writer.withLock { writer in
            // The spare buffer goes to the queue and the queue's records come out as the batch; each
            // is the only reference to its storage, so neither clearing nor sealing copies it.
            var records = writer.spare
            writer.spare = ByteBuffer()
            records.clear()
            let count = queue.withLock { queue in
                swap(&queue.records, &records)
                defer { queue.count = 0 }
                return queue.count
            }
            defer {
                records.clear()
                writer.spare = records
            }
            guard count > 0 else { return }
            do {
                let written = try writer.append(&records, count: count)
                writtenCount.add(written, ordering: .relaxed)
                writtenCounter.increment(by: Int64(written))
                if written < count { failed(count - written) }
            } catch {
                writer.close()  // the next batch starts a fresh segment
                failed(count)
                logger.error("prediction log: \(count) entries not written: \(error)")
            }
        }
    }

    private func failed(_ count: Int) {
        failedCount.add(count, ordering: .relaxed)
        failedCounter.increment(by: Int64(count))
    }

    private static func nowMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
