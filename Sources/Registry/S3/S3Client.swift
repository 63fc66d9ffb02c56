import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small S3 client over AsyncHTTPClient, signing every request with ``SigV4Signer``: single and
/// multipart PUT, GET (optionally ranged), HEAD, DELETE, ListObjectsV2, and the bucket calls tests
/// and health checks need.
///
/// Failures become `RegistryError`s, never crashes: an endpoint that cannot be reached, a timeout
/// or a 5xx answer is `.unavailable` (retryable); a refused signature, a missing bucket or any
/// other refusal is `.io` naming the bucket or key and what the store said. Objects that do not
/// exist are `nil` results, not errors.
///
/// `Sendable`: its state is immutable and `HTTPClient` is thread-safe. Call ``shutdown()`` once
/// done with it.
final class S3Client: Sendable {
    /// A HEAD result.
    struct ObjectInfo: Sendable, Equatable {
        /// Size in bytes.
        var size: Int64
        /// The ETag, quotes included.
        var etag: String
        /// `Last-Modified`, in milliseconds since the epoch (0 when the store sent none).
        var lastModifiedMillis: Int64
    }

    /// A GET result: the bytes (all, or the requested range), the object's ETag and total size.
    struct Object: Sendable {
        /// The bytes returned.
        var bytes: [UInt8]
        /// The ETag of the object they came from.
        var etag: String
        /// The object's full size (for a ranged GET, from `Content-Range`).
        var totalSize: Int64
    }

    /// One entry of a listing.
    struct ListedObject: Sendable, Equatable {
        /// The full key.
        var key: String
        /// Size in bytes.
        var size: Int64
        /// `LastModified`, in milliseconds since the epoch (0 when unparsable).
        var lastModifiedMillis: Int64
    }

    /// One page of ListObjectsV2.
    struct ListPage: Sendable {
        /// The objects of this page, in key order.
        var objects: [ListedObject]
        /// The token for the next page; nil on the last one.
        var nextContinuationToken: String?
    }

    /// Where the objects live.
    let location: S3Location
    /// Objects larger than this many bytes are uploaded in parts by ``putFile(key:path:size:)``.
    let multipartThreshold: Int64
    /// Part size of multipart uploads (S3 needs at least 5 MiB for every part but the last).
    let partSize: Int64
    /// Deadline of one request, including its body (the read timeout catches stalls sooner).
    let requestTimeout: TimeAmount

    private let signer: SigV4Signer
    private let http: HTTPClient

    /// The default multipart threshold: 16 MiB.
    static let defaultMultipartThreshold: Int64 = 16 << 20
    /// The default part size: 8 MiB.
    static let defaultPartSize: Int64 = 8 << 20

    /// A client for `location`, signing with `credentials`. Uses the shared event loop group;
    /// connect timeout 5 s, read timeout 30 s, no redirects, no connection retries.
    init(
        location: S3Location, credentials: S3Credentials,
        multipartThreshold: Int64 = S3Client.defaultMultipartThreshold,
        partSize: Int64 = S3Client.defaultPartSize, connectTimeout: TimeAmount = .seconds(5),
        readTimeout: TimeAmount = .seconds(30), requestTimeout: TimeAmount = .minutes(10),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        precondition(partSize > 0 && multipartThreshold >= 0, "S3Client: part size and threshold must be positive")
        self.location = location
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.requestTimeout = requestTimeout
        signer = SigV4Signer(credentials: credentials, region: location.region, clock: clock)
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: connectTimeout, read: readTimeout)
        configuration.httpVersion = .http1Only
        // A refused or failed connection fails the request at once (as `.unavailable`, which callers
        // may retry) instead of being retried inside AsyncHTTPClient until the connect timeout: a
        // health check of a dead endpoint answers in milliseconds, not seconds.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Shuts the HTTP client down (waits for its connections to close). Call once.
    func shutdown() async throws {
        try await http.shutdown()
    }

    // MARK: Objects

    /// Stores `bytes` under `key` in one PUT whose payload SHA-256 is signed. Returns the ETag.
    @discardableResult
    func putObject(key: String, bytes: [UInt8]) async throws -> String {
        let response = try await send(
            .PUT, key: key, body: bytes, payloadHash: SigV4Signer.hexSHA256(bytes), operation: "PUT")
        return response.headers.first(name: "etag") ?? ""
    }

    /// Stores the `size`-byte file at `path` under `key`: one PUT up to ``multipartThreshold``,
    /// above it a multipart upload that reads and sends one part at a time (aborted when a step
    /// fails).
    func putFile(key: String, path: String, size: Int64) async throws {
        guard size > multipartThreshold else {
            try await putObject(key: key, bytes: try FileSystem.readFile(path))
            return
        }
        let uploadID = try await createMultipartUpload(key: key)
        do {
            var parts: [(number: Int, etag: String)] = []
            var offset: Int64 = 0
            while offset < size {
                let bytes = try FileSystem.readRange(path, offset: offset, maxLength: Int(min(partSize, size - offset)))
                guard !bytes.isEmpty else {
                    throw RegistryError.io(path: path, reason: "the file ended at \(offset) bytes, not \(size)")
                }
                let number = parts.count + 1
                let etag = try await uploadPart(key: key, uploadID: uploadID, number: number, bytes: bytes)
                parts.append((number, etag))
                offset += Int64(bytes.count)
            }
            try await completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)
        } catch {
            try? await abortMultipartUpload(key: key, uploadID: uploadID)
            throw error
        }
    }

    /// Starts a multipart upload and returns its id.
    func createMultipartUpload(key: String) async throws -> String {
        let response = try await send(
            .POST, key: key, query: [("uploads", "")], body: [], payloadHash: SigV4Signer.emptyPayloadHash,
            operation: "CreateMultipartUpload")
        guard let id = S3XML.firstText("UploadId", in: response.text[...]), !id.isEmpty else {
            throw RegistryError.io(
                path: url(key), reason: "the object store's CreateMultipartUpload answer has no UploadId")
        }
        return id
    }

    /// Uploads part `number` (from 1) and returns its ETag.
    func uploadPart(key: String, uploadID: String, number: Int, bytes: [UInt8]) async throws -> String {
        let response = try await send(
            .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes,
            payloadHash: SigV4Signer.hexSHA256(bytes), operation: "UploadPart \(number)")
        guard let etag = response.headers.first(name: "etag") else {
            throw RegistryError.io(path: url(key), reason: "the object store's UploadPart answer has no ETag")
        }
        return etag
    }

    /// Completes a multipart upload from its parts' numbers and ETags.
    func completeMultipartUpload(key: String, uploadID: String, parts: [(number: Int, etag: String)]) async throws {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let body = Array(xml.utf8)
        let response = try await send(
            .POST, key: key, query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")],
            body: body,
            payloadHash: SigV4Signer.hexSHA256(body), operation: "CompleteMultipartUpload")
        // S3 may answer 200 and still report a failure in the body.
        if response.text.contains("<Error>") {
            throw failure(status: response.status, body: response.text, key: key, operation: "CompleteMultipartUpload")
        }
    }

    /// Abandons a multipart upload (its parts are deleted).
    func abortMultipartUpload(key: String, uploadID: String) async throws {
        _ = try await send(
            .DELETE, key: key, query: [("uploadId", uploadID)], payloadHash: SigV4Signer.emptyPayloadHash,
            operation: "AbortMultipartUpload", accept: [404])
    }

    /// The object's bytes (all, or `range` — inclusive byte offsets), or nil when there is no such
    /// object. A store that ignores the range and sends everything is sliced here.
    func getObject(key: String, range: ClosedRange<Int64>? = nil) async throws -> Object? {
        let headers = range.map { [("range", "bytes=\($0.lowerBound)-\($0.upperBound)")] } ?? []
        let response = try await send(
            .GET, key: key, headers: headers, payloadHash: SigV4Signer.emptyPayloadHash, operation: "GET",
            accept: [404])
        if response.status == .notFound {
            try throwIfBucketMissing(response)
            return nil
        }
        let etag = response.headers.first(name: "etag") ?? ""
        if let range, response.status == .partialContent {
            guard let total = Self.totalSize(contentRange: response.headers.first(name: "content-range")) else {
                throw RegistryError.io(
                    path: url(key), reason: "the object store's ranged answer has no usable Content-Range")
            }
            let expected = Int(min(range.upperBound, total - 1) - range.lowerBound + 1)
            guard response.body.count == expected else {
                throw RegistryError.io(
                    path: url(key),
                    reason: "asked for \(expected) bytes at \(range.lowerBound), got \(response.body.count)")
            }
            return Object(bytes: response.body, etag: etag, totalSize: total)
        }
        let total = Int64(response.body.count)
        guard let range else { return Object(bytes: response.body, etag: etag, totalSize: total) }
        let start = Int(min(range.lowerBound, total))
        let end = Int(min(range.upperBound + 1, total))
        return Object(bytes: Array(response.body[start..<max(start, end)]), etag: etag, totalSize: total)
    }

    /// The object's size, ETag and modification time, or nil when there is no such object.
    func headObject(key: String) async throws -> ObjectInfo? {
        let response = try await send(
            .HEAD, key: key, payloadHash: SigV4Signer.emptyPayloadHash, operation: "HEAD", accept: [404])
        if response.status == .notFound { return nil }
        return ObjectInfo(
            size: response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0,
            etag: response.headers.first(name: "etag") ?? "",
            lastModifiedMillis: response.headers.first(name: "last-modified").flatMap(S3Timestamps.httpDateMillis) ?? 0)
    }

    /// Deletes the object (S3 answers the same whether or not it existed).
    func deleteObject(key: String) async throws {
        _ = try await send(
            .DELETE, key: key, payloadHash: SigV4Signer.emptyPayloadHash, operation: "DELETE", accept: [404])
    }

    /// One page of the keys under `prefix`, in key order.
    func listObjectsV2(prefix: String, continuationToken: String? = nil, maxKeys: Int? = nil) async throws -> ListPage {
        var query = [("list-type", "2"), ("prefix", prefix)]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let response = try await send(
            .GET, key: nil, query: query, payloadHash: SigV4Signer.emptyPayloadHash, operation: "ListObjectsV2")
        let xml = response.text[...]
        let objects = S3XML.blocks("Contents", in: xml).compactMap { block -> ListedObject? in
            guard let key = S3XML.firstText("Key", in: block) else { return nil }
            return ListedObject(
                key: key, size: S3XML.firstText("Size", in: block).flatMap { Int64($0) } ?? 0,
                lastModifiedMillis: S3XML.firstText("LastModified", in: block).flatMap(S3Timestamps.iso8601Millis) ?? 0)
        }
        let truncated = S3XML.firstText("IsTruncated", in: xml) == "true"
        let token = S3XML.firstText("NextContinuationToken", in: xml)
        if truncated && (token ?? "").isEmpty {
            throw RegistryError.io(
                path: location.description,
                reason: "the object store's listing is truncated but gives no continuation token")
        }
        return ListPage(objects: objects, nextContinuationToken: truncated ? token : nil)
    }

    /// Every key under `prefix`, following continuation tokens.
    func listAllObjects(prefix: String, pageSize: Int? = nil) async throws -> [ListedObject] {
        var all: [ListedObject] = []
        var token: String?
        repeat {
            let page = try await listObjectsV2(prefix: prefix, continuationToken: token, maxKeys: pageSize)
            all += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return all
    }

    // MARK: Bucket

    /// Succeeds when the bucket exists and these credentials may use it; otherwise throws a
    /// `RegistryError` saying which (for HEAD answers, which have no body, a listing of one key is
    /// asked for to learn the store's error code). `timeout` bounds the whole check.
    func headBucket(timeout: TimeAmount = .seconds(10)) async throws {
        let response = try await send(
            .HEAD, key: nil, payloadHash: SigV4Signer.emptyPayloadHash, operation: "HeadBucket",
            accept: [403, 404, 400, 301],
            timeout: timeout)
        guard response.status.code >= 300 else { return }
        // Explain with the store's own error code.
        _ = try await send(
            .GET, key: nil, query: [("list-type", "2"), ("max-keys", "1")], payloadHash: SigV4Signer.emptyPayloadHash,
            operation: "HeadBucket", timeout: timeout)
        throw failure(status: response.status, body: "", key: nil, operation: "HeadBucket")
    }

    /// Creates the bucket; one that already exists and is ours is fine.
    func createBucket() async throws {
        var body: [UInt8] = []
        if location.region != "us-east-1" {
            body = Array(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + S3XML.escape(location.region) + "</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        let response = try await send(
            .PUT, key: nil, body: body, payloadHash: SigV4Signer.hexSHA256(body), operation: "CreateBucket",
            accept: [409])
        if response.status == .conflict, S3XML.firstText("Code", in: response.text[...]) != "BucketAlreadyOwnedByYou" {
            throw failure(status: response.status, body: response.text, key: nil, operation: "CreateBucket")
        }
    }

    // MARK: Transport

    /// A complete response.
    struct Response: Sendable {
        /// The status.
        var status: HTTPResponseStatus
        /// The headers.
        var headers: HTTPHeaders
        /// The whole body.
        var body: [UInt8]
        /// The body as UTF-8 text (for XML).
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Signs and sends one request and reads the whole answer. Statuses outside 2xx and `accept`
    /// throw (see ``failure(status:body:key:operation:)``); transport failures throw `.unavailable`.
    func send(
        _ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: [UInt8]? = nil, payloadHash: String, operation: String, accept: Set<UInt> = [],
        timeout: TimeAmount? = nil
    ) async throws -> Response {
        let path = location.path(forKey: key)
        var signedHeaders = [("host", location.hostHeader)]
        signedHeaders += headers
        let signed = signer.sign(
            method: method.rawValue, path: path, query: query, headers: signedHeaders, payloadHash: payloadHash)
        var target = location.endpointURL + SigV4Signer.encodePath(path)
        if !query.isEmpty { target += "?" + SigV4Signer.canonicalQuery(query) }

        var request = HTTPClientRequest(url: target)
        request.method = method
        for (name, value) in signedHeaders { request.headers.add(name: name, value: value) }
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }

        let response: Response
        do {
            let answer = try await http.execute(request, timeout: timeout ?? requestTimeout)
            let limit = method == .HEAD ? 0 : Int.max
            let buffer = try await answer.body.collect(upTo: limit)
            response = Response(status: answer.status, headers: answer.headers, body: Array(buffer.readableBytesView))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw RegistryError.unavailable(
                "cannot reach the object store at \(location.endpointURL) (\(operation) \(key ?? location.bucket)): "
                    + Self.describe(error))
        }
        guard (200..<300).contains(response.status.code) || accept.contains(response.status.code) else {
            throw failure(status: response.status, body: response.text, key: key, operation: operation)
        }
        return response
    }

    /// The `RegistryError` for an error answer: `.unavailable` for 5xx (and 429), `.io` with the
    /// store's code and message otherwise, in words for the common ones.
    func failure(status: HTTPResponseStatus, body: String, key: String?, operation: String) -> RegistryError {
        let code = S3XML.firstText("Code", in: body[...]) ?? ""
        let message = S3XML.firstText("Message", in: body[...]) ?? ""
        let said =
            code.isEmpty
            ? "HTTP \(status.code) \(status.reasonPhrase)"
            : "HTTP \(status.code) \(code)"
                + (message.isEmpty ? "" : ": \(message)")
        if status.code >= 500 || status.code == 429 || code == "SlowDown" {
            return .unavailable("the object store at \(location.endpointURL) answered \(operation) with \(said)")
        }
        let path = key.map(url) ?? location.description
        let reason: String
        switch code {
        case "SignatureDoesNotMatch":
            reason = "the object store refused the signature (check the access key and secret)"
        case "InvalidAccessKeyId":
            reason = "the object store does not know the access key id (check the access key)"
        case "NoSuchBucket":
            reason = "bucket \(location.bucket) does not exist at \(location.endpointURL) (create it first)"
        case "AccessDenied":
            reason =
                "the object store denied \(operation) (check the credentials' permissions on bucket \(location.bucket))"
        case "RequestTimeTooSkewed":
            reason = "the object store refused the request: this machine's clock is too far off"
        case "":
            switch status.code {
            case 403:
                reason =
                    "the object store refused \(operation) (HTTP 403: check the access key, secret and permissions)"
            case 404: reason = "bucket \(location.bucket) does not exist at \(location.endpointURL) (create it first)"
            default: reason = "the object store answered \(operation) with \(said)"
            }
        default:
            reason = "the object store answered \(operation) with \(said)"
        }
        return .io(path: path, reason: reason)
    }

    /// `s3://BUCKET/KEY`, for messages.
    func url(_ key: String) -> String {
        "s3://\(location.bucket)/\(key)"
    }

    private func throwIfBucketMissing(_ response: Response) throws {
        if S3XML.firstText("Code", in: response.text[...]) == "NoSuchBucket" {
            throw failure(status: response.status, body: response.text, key: nil, operation: "GET")
        }
    }

    /// The total of `bytes a-b/TOTAL`.
    static func totalSize(contentRange: String?) -> Int64? {
        guard let contentRange, let slash = contentRange.lastIndex(of: "/") else { return nil }
        return Int64(contentRange[contentRange.index(after: slash)...])
    }

    /// One line for a transport error.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connecting timed out"
            case .readTimeout: return "no answer within the read timeout"
            case .deadlineExceeded: return "the request ran past its deadline"
            case .remoteConnectionClosed: return "the connection was closed by the server"
            default: break
            }
        }
        let text = String(describing: error)
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count <= 200 ? line : String(line.prefix(197)) + "..."
    }
}
