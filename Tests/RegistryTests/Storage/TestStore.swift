import Foundation
import Testing
import Wire

@testable import Registry

/// The store implementations the registry suite runs against: the embedded one always, PostgreSQL
/// with S3 when the test engines are running (`scripts/engines/start.sh`, which `scripts/test.sh`
/// runs once for the whole test run).
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    /// SQLite and files in a temporary data directory.
    case embedded
    /// A fresh PostgreSQL database and a fresh S3 prefix.
    case scaled

    /// The kinds to run: `scaled` only when `CHURN_TEST_POSTGRES_URL` and `CHURN_TEST_S3_ENDPOINT` are set.
    static var all: [StoreKind] {
        ScaledTestEngines.configured ? [.embedded, .scaled] : [.embedded]
    }

    var testDescription: String { rawValue }
}

/// A registry store made for one test, over its own storage, removed by `remove()`.
final class TestStore: Sendable {
    /// The store.
    let store: RegistryStore
    /// The kind.
    let kind: StoreKind
    /// The embedded store's directory.
    let directory: TemporaryDirectory?
    /// The scaled store's database and prefix.
    let scaled: ScaledTestEngines.Location?
    private let clock: (@Sendable () -> Int64)?

    private init(
        store: RegistryStore, kind: StoreKind, directory: TemporaryDirectory?, scaled: ScaledTestEngines.Location?,
        clock: (@Sendable () -> Int64)?
    ) {
        self.store = store
        self.kind = kind
        self.directory = directory
        self.scaled = scaled
        self.clock = clock
    }

    /// A fresh, empty store of `kind`.
    static func make(_ kind: StoreKind, clock: (@Sendable () -> Int64)? = nil) async throws -> TestStore {
        switch kind {
        case .embedded:
            let directory = try TemporaryDirectory()
            let store = try RegistryStore(directory: directory.path, clock: clock ?? Timestamp.nowMillis)
            return TestStore(store: store, kind: kind, directory: directory, scaled: nil, clock: clock)
        case .scaled:
            let location = try await ScaledTestEngines.freshLocation()
            let store = try await ScaledTestEngines.open(location, clock: clock ?? Timestamp.nowMillis)
            return TestStore(store: store, kind: kind, directory: nil, scaled: location, clock: clock)
        }
    }

    /// A second store over the same storage (as after a restart; for the embedded kind, release
    /// this one first — the data directory is locked).
    func reopen() async throws -> RegistryStore {
        if let directory {
            return try RegistryStore(directory: directory.path, clock: clock ?? Timestamp.nowMillis)
        }
        guard let scaled else { throw RegistryError.invalidArgument("nothing to reopen") }
        return try await ScaledTestEngines.open(scaled, clock: clock ?? Timestamp.nowMillis)
    }

    /// Replaces the stored bytes of a blob with `bytes` behind the store's back (to test that
    /// damage is caught).
    func overwriteBlob(_ digest: String, with bytes: [UInt8]) async throws {
        if let directory = store.blobs as? FileBlobStore {
            try Data(bytes).write(to: URL(fileURLWithPath: try directory.directory.path(for: digest)))
        } else if let scaled {
            try await ScaledTestEngines.overwriteBlob(digest, with: bytes, at: scaled)
        }
        _ = directory
    }

    /// Releases the store and its storage.
    func remove() {
        directory?.remove()
        if kind == .scaled {
            let store = store
            Task { await store.close() }
        }
    }
}
