extension PostgresMetadataStore {
    /// Limits and pool size of a `PostgresMetadataStore`.
    public struct Configuration: Sendable {
        /// How long one operation (a read, or a write transaction with its retries) may take before
        /// it fails with `RegistryError.unavailable`; also the connect timeout.
        public var operationTimeout: Duration = .seconds(10)
        /// How long `problem()` waits for `SELECT 1`.
        public var healthTimeout: Duration = .seconds(2)
        /// How long `whileWritingBlob` and `whileCollectingGarbage` wait for their advisory lock
        /// (garbage collection or an upload on another replica may legitimately hold it a while).
        public var lockTimeout: Duration = .seconds(120)
        /// Most pooled connections (the event listener uses one more of its own).
        public var maximumConnections: Int = 20
        /// How many times a transaction that hit a serialization failure or deadlock runs again.
        public var transactionRetries: Int = 4

        /// The defaults: 10 s per operation, 2 s health check, 120 s lock wait, 20 connections.
        public init() {}
    }
}
