import ChurnML
import Logging
import Metrics
import NIOCore
import ServiceKit
import ServiceLifecycle
import Synchronization
import Wire

/// Compares what the predictor scores with what its model was trained on (``DriftBaseline``): the
/// population stability index of each input column and of the score over a rolling window of live
/// rows (``DriftWindow``), published as `predictor_drift_psi{column=…}` and as a Health note at
/// the warning band or above (only once the window holds ``minimumRows``).
///
/// On the request path it only queues the request and response bodies (the request copied), and
/// only while the queue has room: the queue is drained every ``drainInterval``, so at most
/// `queueCapacity` requests per interval are counted and a busy predictor watches a sample of its
/// traffic, at a bounded cost. Models without a baseline (bundles made before it) are not watched.
public final class DriftMonitor: Service, Sendable {
    /// Rows per window block.
    public let blockRows: Int
    /// Blocks per window.
    public let blockCount: Int
    /// Rows a window needs before its PSI is reported.
    public let minimumRows: Int
    /// Requests queued between drains at most.
    public let queueCapacity: Int
    /// How often the queue is counted.
    public let drainInterval: Duration

    private struct Observation {
        let model: ServingModel
        let request: ByteBuffer
        let response: ByteBuffer
    }

    /// The window and whose it is: touched by ``drain()`` only, so its lock is never contended.
    private struct Counting {
        var identity: ModelIdentity?
        var window: DriftWindow?
    }

    private let queue = Mutex<[Observation]>([])
    private let counting = Mutex(Counting())
    /// The latest report, read by Health and PredictorDrift on the event loop (held only to copy).
    private let published = Mutex<DriftReport?>(nil)
    private let allocator = ByteBufferAllocator()
    private let logger = Logger(label: "churn.predictor.drift")

    /// A monitor with a window of `blockRows × blockCount` rows (default 1,000 × 10).
    public init(
        blockRows: Int = 1000, blockCount: Int = 10, minimumRows: Int = 500, queueCapacity: Int = 128,
        drainInterval: Duration = .milliseconds(200)
    ) {
        self.blockRows = max(1, blockRows)
        self.blockCount = max(1, blockCount)
        self.minimumRows = minimumRows
        self.queueCapacity = queueCapacity
        self.drainInterval = drainInterval
    }

    /// Queues one answered Predict of `model` if there is room (called on the request path).
    public func observe(model: ServingModel, request: ByteBuffer, response: ByteBuffer) {
        guard model.watchesDrift else { return }
        queue.withLock { queue in
            guard queue.count < queueCapacity else { return }
            var copy = allocator.buffer(capacity: request.readableBytes)
            copy.writeImmutableBuffer(request)
            queue.append(Observation(model: model, request: copy, response: response))
        }
    }

    /// The latest report (nil before any watched prediction).
    public var report: DriftReport? { published.withLock { $0 } }

    /// The Health note: the report's, once the window holds enough rows.
    public var healthNote: String? {
        guard let report, report.rows >= minimumRows else { return nil }
        return report.note
    }

    /// The PredictorDrift answer for `model`: the window's report when it belongs to that model,
    /// else every column with no rows yet; nil when the model has no baseline.
    public func response(for model: ServingModel) -> PredictorDriftResponse? {
        guard let baseline = model.bundle.baseline else { return nil }
        let report =
            self.report.flatMap { $0.model == model.identity.name && $0.version == model.identity.version ? $0 : nil }
            ?? DriftReport(
                model: model.identity.name, version: model.identity.version, rows: 0,
                columns: baseline.columns.map { DriftReport.Entry(name: $0.name, index: nil) },
                score: DriftReport.Entry(name: baseline.score.name, index: nil))
        func entry(_ entry: DriftReport.Entry) -> PredictorDriftResponse.Entry {
            let level: PredictorDriftResponse.Entry.Level =
                switch entry.level {
                case .stable: .stable
                case .warning: .warning
                case .alert: .alert
                }
            return PredictorDriftResponse.Entry(name: entry.name, psi: entry.index, level: level)
        }
        return PredictorDriftResponse(
            model: report.model, version: report.version, rows: UInt64(report.rows), minimumRows: UInt64(minimumRows),
            columns: report.columns.map(entry), score: entry(report.score))
    }

    /// Counts everything queued so far and refreshes the report and the gauges.
    public func drain() {
        let observations = queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        guard !observations.isEmpty else { return }
        let report = counting.withLock { state -> DriftReport? in
            for observation in observations {
                guard let baseline = observation.model.bundle.baseline,
                    let request = try? PredictRequest.decode(from: observation.request),
                    let response = try? PredictResponse.decode(from: observation.response)
                else { continue }
                if state.identity != observation.model.identity || state.window == nil {
                    state.identity = observation.model.identity
                    state.window = DriftWindow(baseline: baseline, blockRows: blockRows, blockCount: blockCount)
                }
                state.window?.add(request, probabilities: response.probabilities)
            }
            guard let window = state.window, let identity = state.identity else { return nil }
            let indices = window.stability()
            let entries = indices.map { DriftReport.Entry(name: $0.name, index: $0.index) }
            return DriftReport(
                model: identity.name, version: identity.version, rows: window.rows, columns: Array(entries.dropLast()),
                score: entries[entries.count - 1])
        }
        guard let report else { return }
        published.withLock { $0 = report }
        for entry in report.columns {
            Gauge(label: "predictor_drift_psi", dimensions: [("column", entry.name)]).record(entry.index ?? 0)
        }
        Gauge(label: "predictor_drift_score_psi").record(report.score.index ?? 0)
        Gauge(label: "predictor_drift_window_rows").record(report.rows)
    }

    /// Drains the queue every interval until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.drainInterval)
                self.drain()
            }
        }
    }
}
