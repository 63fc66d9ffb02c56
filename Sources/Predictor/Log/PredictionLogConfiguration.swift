/// How a predictor logs the predictions it answers (`serve predictor --log-sample …`).
public struct PredictionLogConfiguration: Sendable {
    /// The directory of the log's segment files (created if missing).
    public var directory: String
    /// The share of Predict requests logged, 0…1 (1 = every request). A request is logged whole
    /// or not at all.
    public var sampleRate: Double
    /// Segments whose newest entry is older than this are deleted (nil: kept forever).
    public var retention: Duration?
    /// Input columns left out of the log (matched by exact name).
    public var excludedColumns: Set<String>
    /// Entries waiting to be written at most; beyond it new entries are dropped and counted.
    public var queueCapacity: Int
    /// Bytes of request and response bodies waiting to be written at most (same rule).
    public var queueBytes: Int
    /// A segment is closed and a new one started past this size.
    public var segmentBytes: Int
    /// A segment is closed and a new one started past this age, so retention deletes in steps of it.
    public var segmentAge: Duration
    /// How long queued entries wait before they are written (and fsynced) together.
    public var flushInterval: Duration

    /// The defaults: every request logged, kept forever, a 8,192-entry (64 MiB) queue, 64 MiB or
    /// one-hour segments, written every 50 ms.
    public init(
        directory: String, sampleRate: Double = 1, retention: Duration? = nil, excludedColumns: Set<String> = [],
        queueCapacity: Int = 8192, queueBytes: Int = 64 << 20, segmentBytes: Int = 64 << 20,
        segmentAge: Duration = .seconds(3600), flushInterval: Duration = .milliseconds(50)
    ) {
        self.directory = directory
        self.sampleRate = sampleRate
        self.retention = retention
        self.excludedColumns = excludedColumns
        self.queueCapacity = queueCapacity
        self.queueBytes = queueBytes
        self.segmentBytes = segmentBytes
        self.segmentAge = segmentAge
        self.flushInterval = flushInterval
    }
}
