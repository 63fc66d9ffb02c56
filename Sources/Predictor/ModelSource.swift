/// Where the predictor's model comes from — the seam between serving and model management.
///
/// The predictor asks its source for the designated bundle at start, then again whenever the
/// source signals a change (``changes()``) or someone asks for a reload (PredictorReload, SIGHUP).
/// A source fetches AND verifies: what it returns is safe to serve.
///
/// - ``FileModelSource``: a bundle file on disk, version = SHA-256 prefix of its bytes;
///   changes come from polling the file's size and modification time.
/// - ``RegistryModelSource``: `load` resolves the alias (`production`) through the registry,
///   downloads the bundle blob in chunks, verifies its SHA-256 against the registry's digest and
///   decodes it (`BundleCodec.decode` verifies the format and content checksum); `changes` yields
///   on every `alias.moved` event of a Subscribe that resumes from the last sequence seen (and
///   after each reconnect, and periodically while no model is loaded); `served` reports the version
///   now serving back to the registry.
public protocol ModelSource: Sendable {
    /// A short description for logs, Health and ModelInfo (a path, `registry alias production`…).
    var description: String { get }

    /// Fetches and verifies the bundle the source designates now. Returns nil when it is the
    /// bundle with SHA-256 `current` (already serving), so an unchanged source costs no decode.
    func load(current: String?) async throws(ModelSourceError) -> ModelCandidate?

    /// Signals that the designated bundle may have changed; the predictor calls ``load(current:)``
    /// for each element. Finishes when the source has nothing more to say.
    func changes() -> AsyncStream<Void>

    /// Told after a candidate was swapped in (a registry source reports what this predictor serves).
    func served(_ identity: ModelIdentity) async
}

extension ModelSource {
    /// No change notifications: reloads happen only on request.
    public func changes() -> AsyncStream<Void> { AsyncStream { $0.finish() } }
    /// Nothing to report.
    public func served(_ identity: ModelIdentity) async {}
}
