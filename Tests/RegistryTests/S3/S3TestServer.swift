import Foundation

@testable import Registry

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The S3 server the integration tests run against, from the environment that
/// `scripts/engines/start-s3.sh` prints (`CHURN_TEST_S3_ENDPOINT`, `_ACCESS_KEY`, `_SECRET_KEY`,
/// `_BUCKET`). Each test works under a fresh random prefix in the bucket, which it creates if missing.
enum S3TestServer {
    static let environment = ProcessInfo.processInfo.environment
    /// True when the tests against a real server should run.
    static let isConfigured = environment["CHURN_TEST_S3_ENDPOINT"] != nil

    static var endpoint: String { environment["CHURN_TEST_S3_ENDPOINT"] ?? "http://127.0.0.1:1" }
    static var bucket: String { environment["CHURN_TEST_S3_BUCKET"] ?? "churn-test" }
    static var credentials: S3Credentials {
        S3Credentials(
            accessKeyID: environment["CHURN_TEST_S3_ACCESS_KEY"] ?? "",
            secretAccessKey: environment["CHURN_TEST_S3_SECRET_KEY"] ?? "")
    }

    /// A fresh prefix, e.g. `t-3f2a…`.
    static func freshPrefix() -> String {
        "t-" + UUID().uuidString.lowercased()
    }

    /// A client for a fresh prefix (or `prefix`) with the bucket created.
    static func client(
        prefix: String = S3TestServer.freshPrefix(), endpoint: String = S3TestServer.endpoint,
        credentials: S3Credentials = S3TestServer.credentials,
        multipartThreshold: Int64 = S3Client.defaultMultipartThreshold, partSize: Int64 = S3Client.defaultPartSize,
        createBucket: Bool = true
    ) async throws -> S3Client {
        let location = try S3Location("s3://\(bucket)/\(prefix)?endpoint=\(endpoint)")
        let client = S3Client(
            location: location, credentials: credentials, multipartThreshold: multipartThreshold, partSize: partSize)
        if createBucket {
            do {
                try await client.createBucket()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        return client
    }

    /// Runs `body` with a store over a fresh prefix and a fresh spool directory, then shuts the
    /// client down and removes the spool directory.
    static func withStore<T>(
        multipartThreshold: Int64 = S3Client.defaultMultipartThreshold, partSize: Int64 = S3Client.defaultPartSize,
        _ body: (S3BlobStore, S3Client, _ spool: String) async throws -> T
    ) async throws -> T {
        let client = try await client(multipartThreshold: multipartThreshold, partSize: partSize)
        let spool = NSTemporaryDirectory() + "s3-tests-spool-" + UUID().uuidString
        do {
            let store = try S3BlobStore(client: client, spoolDirectory: spool)
            let result = try await body(store, client, spool)
            try await client.shutdown()
            try? FileManager.default.removeItem(atPath: spool)
            return result
        } catch {
            try? await client.shutdown()
            try? FileManager.default.removeItem(atPath: spool)
            throw error
        }
    }

    /// `count` random bytes.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var index = 0
            while index < buffer.count {
                var word = generator.next() as UInt64
                let n = min(8, buffer.count - index)
                withUnsafeBytes(of: &word) {
                    buffer.baseAddress!.advanced(by: index).copyMemory(from: $0.baseAddress!, byteCount: n)
                }
                index += n
            }
        }
        return bytes
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound, read, closed).
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
