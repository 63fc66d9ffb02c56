import ChurnML
import Foundation

/// A ``ModelSource`` backed by one bundle file (`churn serve predictor --model-file PATH`).
///
/// The model's version is the first 12 hex digits of the SHA-256 of the file's bytes; its name is
/// given or the file name without extension. Reloads read the whole file, hash it, and decode and
/// verify it only when the hash differs from the bundle serving. With a poll interval, ``changes()``
/// yields whenever the file's size or modification time changes (replace the file atomically with
/// a rename, as `churn train` writes it, so a poll never sees half a file; a half-written file
/// would anyway fail verification and be refused).
public struct FileModelSource: ModelSource {
    /// Hex digits of the SHA-256 used as the version.
    public static let versionDigits = 12

    /// The bundle file.
    public let path: String
    /// The model name reported in responses.
    public let name: String
    /// Seconds between checks of the file's size and modification time (nil: no polling).
    public let pollInterval: Double?

    /// A source for `path`; `name` defaults to the file name without its extension.
    public init(path: String, name: String? = nil, pollInterval: Double? = nil) {
        self.path = path
        let file = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        self.name = name ?? (file.isEmpty ? "model" : file)
        self.pollInterval = pollInterval.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The path.
    public var description: String { path }

    /// Reads, hashes and (when changed) decodes and verifies the file.
    public func load(current: String?) async throws(ModelSourceError) -> ModelCandidate? {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch let error as DataError {
            throw .unreadable(source: path, reason: error.reason)
        } catch {
            throw .unreadable(source: path, reason: "\(error)")
        }
        let digest = SHA256Digest.hex(of: bytes)
        if digest == current { return nil }
        let bundle: ModelBundle
        do {
            bundle = try BundleCodec.decode(bytes)
        } catch let error as BundleError {
            throw ModelSourceError(error, source: path)
        } catch {
            throw .invalid(source: path, reason: "\(error)")
        }
        return ModelCandidate(
            name: name, version: String(digest.prefix(Self.versionDigits)), sha256: digest, source: path, bundle: bundle
        )
    }

    /// Yields when the file's size or modification time changes (only with a poll interval).
    public func changes() -> AsyncStream<Void> {
        guard let pollInterval else { return AsyncStream { $0.finish() } }
        let path = self.path
        let initial = Self.stamp(path)  // now, not when the task starts, so no change slips between
        return AsyncStream { continuation in
            let task = Task {
                var last = initial
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
                    let now = Self.stamp(path)
                    if now != last {
                        last = now
                        continuation.yield()
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Size, modification time and inode of `path` (nil when it cannot be read).
    static func stamp(_ path: String) -> [String]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return [String(size), String(modified), String(inode)]
    }
}
