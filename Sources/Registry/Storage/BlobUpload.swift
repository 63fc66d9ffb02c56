import Crypto
import Foundation

/// A blob arriving in chunks (over the wire, at most 1 MiB at a time), spooled to a temporary file
/// and hashed as it arrives: `append` each chunk, then `commit(expectedSHA256:)`, which checks the
/// digest of everything appended and hands the complete, fsynced file to the storage's `install`
/// step (a rename into a blob directory, an upload to an object store…). A wrong digest, an
/// `abort`, or dropping the upload unfinished deletes the temporary file.
///
/// Thread-safe: every access to the mutable state happens under `lock` (hence the checked-by-hand
/// `@unchecked Sendable`), so an upload may be handed between tasks. The lock is never held across
/// the asynchronous `install`.
public final class BlobUpload: @unchecked Sendable {
    private struct State {
        var descriptor: Int32?
        var hasher = SHA256()
        var size: Int64 = 0
    }

    /// Makes a complete, fsynced temporary file durable as the blob `digest` of `size` bytes.
    typealias Install = @Sendable (_ temporaryPath: String, _ digest: String, _ size: Int64) async throws -> Void

    private let temporaryPath: String
    private let maximumBytes: Int64
    private let install: Install
    private let lock = NSLock()
    private var unsafeState: State

    /// Creates the temporary file in `spoolDirectory` (created when missing). `install` is called by
    /// `commit` with the complete, fsynced temporary file, its digest and size; it must make the blob
    /// durable (it may move or copy the file). `commit` deletes the temporary file afterwards if it
    /// still exists. Storages hand uploads out through `BlobStorage.beginUpload`.
    init(
        spoolDirectory: String, maximumBytes: Int64,
        install: @escaping @Sendable (_ temporaryPath: String, _ digest: String, _ size: Int64) async throws -> Void
    ) throws {
        self.maximumBytes = maximumBytes
        self.install = install
        _ = try FileSystem.makeDirectory(spoolDirectory)
        let path = spoolDirectory + "/" + FileSystem.randomName()
        let descriptor = try FileSystem.createExclusive(path)
        temporaryPath = path
        unsafeState = State(descriptor: descriptor)
    }

    deinit {
        abort()
    }

    /// Bytes appended so far.
    public var size: Int64 {
        withState { $0.size }
    }

    /// Appends a chunk. Throws when the upload is finished or would exceed its size limit (the
    /// upload is then aborted).
    public func append(_ chunk: [UInt8]) throws {
        try chunk.withUnsafeBytes { try append(bytes: $0) }
    }

    /// Appends a chunk given as raw bytes (the buffer is only read during the call).
    public func append(bytes chunk: UnsafeRawBufferPointer) throws {
        let failure: RegistryError? = withState { state in
            guard let descriptor = state.descriptor else {
                return RegistryError.invalidArgument("the upload is already finished")
            }
            guard Int64(chunk.count) <= maximumBytes - state.size else {
                close(&state)
                return RegistryError.invalidArgument("the upload exceeds the \(maximumBytes)-byte limit")
            }
            do {
                try FileSystem.writeAll(descriptor, chunk, path: temporaryPath)
            } catch let error as RegistryError {
                close(&state)
                return error
            } catch {
                close(&state)
                return RegistryError.io(path: temporaryPath, reason: "\(error)")
            }
            state.hasher.update(bufferPointer: chunk)
            state.size += Int64(chunk.count)
            return nil
        }
        if let failure { throw failure }
    }

    /// Verifies that the appended bytes hash to `expectedSHA256`, then makes the blob durable and
    /// visible under that digest (through `install`), and returns it (lower-case). On a mismatch the
    /// temporary file is deleted and `RegistryError.digestMismatch` thrown. With `nil` (a streamed
    /// upload, whose digest nobody knew in advance) the blob is stored under the digest of what was
    /// appended. The upload is finished afterwards, whatever the outcome.
    @discardableResult
    public func commit(expectedSHA256: String?) async throws -> String {
        let expected: String?
        do {
            expected = try expectedSHA256.map(NameRules.normalizedDigest)
        } catch {
            abort()
            throw error
        }
        let outcome: Result<(digest: String, size: Int64), RegistryError> = withState { state in
            guard let descriptor = state.descriptor else {
                return .failure(.invalidArgument("the upload is already finished"))
            }
            let actual = state.hasher.finalize().map { byte in
                let text = String(byte, radix: 16)
                return byte < 16 ? "0" + text : text
            }.joined()
            if let expected, actual != expected {
                close(&state)
                return .failure(.digestMismatch(expected: expected, actual: actual))
            }
            do {
                try FileSystem.sync(descriptor, path: temporaryPath)
            } catch let error as RegistryError {
                close(&state)
                return .failure(error)
            } catch {
                close(&state)
                return .failure(.io(path: temporaryPath, reason: "\(error)"))
            }
            closeDescriptor(descriptor)
            state.descriptor = nil
            return .success((actual, state.size))
        }
        let (digest, size) = try outcome.get()
        defer { _ = try? FileSystem.remove(temporaryPath) }
        try await install(temporaryPath, digest, size)
        return digest
    }

    /// Abandons the upload and deletes its temporary file. Harmless after `commit`.
    public func abort() {
        withState { close(&$0) }
    }

    /// Runs `body` on the state under the lock.
    private func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&unsafeState)
    }

    /// Closes the descriptor of an unfinished upload and removes its temporary file.
    private func close(_ state: inout State) {
        guard let descriptor = state.descriptor else { return }
        closeDescriptor(descriptor)
        state.descriptor = nil
        _ = try? FileSystem.remove(temporaryPath)
    }
}
