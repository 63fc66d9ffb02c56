import ChurnML
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import Wire

@testable import Gateway

/// Pushing datasets through the gateway (`POST /api/v1/datasets`, the Datasets pages) to a real
/// registry: the body is streamed to the registry as blob chunks, the record carries the profile.
@Suite("Gateway datasets")
struct DatasetsAPITests {
    static let bearer: HTTPFields = [.contentType: "text/csv", .authorization: "Bearer \(GatewayFixture.token)"]

    @Test("POST /api/v1/datasets: 201 with the record and its profile; the stored blob is the body")
    func push() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            let csv = GatewayTestData.csv
            let response = try await client.execute(
                uri: "/api/v1/datasets?name=pushed&description=from%20the%20API", method: .post, headers: Self.bearer,
                body: ByteBuffer(bytes: csv))
            #expect(response.status == .created)
            let record = try JSONDecoder().decode(DatasetRecord.self, from: Data(response.body.readableBytesView))
            #expect(record.name == "pushed")
            #expect(record.description == "from the API")
            #expect(record.sha256 == BlobDigest(hashing: csv).hex)
            #expect(record.rows == GatewayTestData.table.rowCount)
            let profileJSON = try #require(record.profile)
            let profile = try JSONDecoder().decode(DataProfile.self, from: Data(profileJSON.utf8))
            #expect(profile.rows == GatewayTestData.table.rowCount)
            #expect(profile.columns.count == 14)
            #expect(profile.target?.column == "Exited")
            let registry = try await fixture.registryClient()
            #expect(try await registry.download(sha256: record.sha256) == csv)
            #expect(try await registry.dataset("pushed").profile == profileJSON)
            await registry.close()
        }
    }

    @Test("POST /api/v1/datasets: 401 without the token, 403 with a wrong one, 400 for a bad name")
    func refusals() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let body = ByteBuffer(string: "a,Exited\n1,0\n2,1\n")
            let none = try await client.execute(uri: "/api/v1/datasets?name=x", method: .post, body: body)
            #expect(none.status == .unauthorized)
            #expect(none.errorFields == ["token"])
            let wrong = try await client.execute(
                uri: "/api/v1/datasets?name=x", method: .post, headers: [.authorization: "Bearer nope"], body: body)
            #expect(wrong.status == .forbidden)
            let hostile = try await client.execute(
                uri: "/api/v1/datasets?name=%3Cscript%3E", method: .post, headers: Self.bearer, body: body)
            #expect(hostile.status == .badRequest)
            #expect(hostile.errorFields == ["name"])
            let unnamed = try await client.execute(
                uri: "/api/v1/datasets", method: .post, headers: Self.bearer, body: body)
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.errorFields == ["name"])
        }
    }

    @Test("POST /api/v1/datasets: a CSV the registry cannot read is 400 with the reader's line")
    func badCSV() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            let response = try await client.execute(
                uri: "/api/v1/datasets?name=broken", method: .post, headers: Self.bearer,
                body: ByteBuffer(string: "a,b\n1,2\n3\n"))
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_input")
            let message = try #require((response.object["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("broken:3"), "\(message)")
            #expect(message.contains("expected 2 fields"), "\(message)")
            let registry = try await fixture.registryClient()
            #expect(try await registry.datasets(name: "broken").isEmpty)
            await registry.close()
        }
    }

    @Test(
        "POST /api/v1/datasets: over --max-upload-bytes is 413, at once with a Content-Length and while streaming without"
    )
    func tooLarge() async throws {
        let limit: (inout GatewayConfiguration) -> Void = { $0.maxUploadBytes = 1 << 20 }
        try await GatewayFixture.withGateway(configure: limit) { client, fixture in
            let big = ByteBuffer(bytes: SyntheticBankData.csv(rows: 40_000, seed: 2))
            #expect(big.readableBytes > 2 << 20)
            let streamed = try await client.execute(
                uri: "/api/v1/datasets?name=big", method: .post, headers: Self.bearer, body: big)
            #expect(streamed.status == .contentTooLarge)
            #expect(streamed.errorCode == "body_too_large")
            var announced = Self.bearer
            announced[.contentLength] = "\(big.readableBytes)"
            let early = try await client.execute(
                uri: "/api/v1/datasets?name=big", method: .post, headers: announced, body: big)
            #expect(early.status == .contentTooLarge)
            let registry = try await fixture.registryClient()
            #expect(try await registry.datasets(name: "big").isEmpty)
            await registry.close()
        }
    }

    @Test("a multi-MB upload is sent to the registry in chunks while the body is still arriving")
    func streams() async throws {
        let csv = SyntheticBankData.csv(rows: 90_000, seed: 4)
        #expect(csv.count > 5 << 20)
        try await GatewayFixture.withGateway { _, fixture in
            let pusher = DatasetPusher(configuration: fixture.gateway.configuration)
            let received = Mutex<UInt64>(0)
            let receivedBeforeEnd = Mutex<UInt64>(0)
            let (body, source) = AsyncStream<ByteBuffer>.makeStream()
            let producer = Task {
                let piece = 64 * 1024
                var offset = 0
                while offset < csv.count {
                    let end = min(csv.count, offset + piece)
                    source.yield(ByteBuffer(bytes: csv[offset..<end]))
                    offset = end
                    if offset >= 3 << 20, receivedBeforeEnd.withLock({ $0 }) == 0 {
                        // Hold the rest back until the registry has received some of it (or give up).
                        for _ in 0..<400 where received.withLock({ $0 }) < 2 << 20 {
                            try? await Task.sleep(for: .milliseconds(25))
                        }
                        let now = received.withLock { $0 }
                        receivedBeforeEnd.withLock { $0 = max(now, 1) }
                    }
                }
                source.finish()
            }
            let record = try await pusher.push(name: "streamed", chunks: body) { count in
                received.withLock { $0 = count }
            }
            await producer.value
            #expect(receivedBeforeEnd.withLock { $0 } >= 2 << 20)
            #expect(record.rows == 90_000)
            #expect(record.size == Int64(csv.count))
            let registry = try await fixture.registryClient()
            #expect(try await registry.download(sha256: record.sha256) == csv)
            await registry.close()
        }
    }

    /// A multipart body: text fields in order, then `file`.
    static func form(_ fields: [(String, String)], file: String?) -> (HTTPFields, ByteBuffer) {
        let boundary = "----churn-dataset-boundary"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
    }

    @Test("the Datasets page: upload with the token, see the profile; hostile names and values are escaped")
    func page() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let empty = try await client.execute(uri: "/datasets", method: .get)
            #expect(empty.status == .ok)
            #expect(empty.text.contains("id=\"dataset-form\""))
            #expect(empty.text.contains("href=\"/datasets\" class=\"active\""))
            let hostile =
                "<script>alert(1)</script>,\"say \"\"hi\"\"\",Geo,Exited\n1,2,<b>x</b>,0\n3,4,'y',1\n5,6,<b>x</b>,0\n"
            let (noTokenHeaders, noTokenBody) = Self.form([("name", "evil")], file: hostile)
            let refused = try await client.execute(
                uri: "/datasets", method: .post, headers: noTokenHeaders, body: noTokenBody)
            #expect(refused.status == .unauthorized)
            let (badNameHeaders, badNameBody) = Self.form(
                [("name", "<script>x</script>"), ("token", GatewayFixture.token)], file: hostile)
            let badName = try await client.execute(
                uri: "/datasets", method: .post, headers: badNameHeaders, body: badNameBody)
            #expect(badName.status == .badRequest)
            #expect(!badName.text.contains("<script>x"))
            #expect(badName.text.contains("&lt;script&gt;x&lt;/script&gt;"))
            let (headers, body) = Self.form([("name", "evil"), ("token", GatewayFixture.token)], file: hostile)
            let pushed = try await client.execute(uri: "/datasets", method: .post, headers: headers, body: body)
            #expect(pushed.status == .seeOther)
            let location = try #require(pushed.headers[.location])
            #expect(location.hasPrefix("/datasets/evil@"))
            let detail = try await client.execute(uri: location, method: .get)
            #expect(detail.status == .ok)
            #expect(detail.text.contains("3 rows"))
            #expect(detail.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(detail.text.contains("say &quot;hi&quot;"))
            #expect(detail.text.contains("&lt;b&gt;x&lt;/b&gt;"))
            #expect(!detail.text.contains("<script>alert"))
            #expect(!detail.text.contains("<b>x</b>"))
            let list = try await client.execute(uri: "/datasets", method: .get)
            #expect(list.text.contains("<h2>evil</h2>"))
            #expect(!list.text.contains("<script>alert"))
        }
    }

    @Test("the Datasets page: a CSV the registry refuses shows its located error")
    func pageBadCSV() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let (headers, body) = Self.form(
                [("name", "broken"), ("token", GatewayFixture.token)], file: "a,b\n1,2\n3\n")
            let page = try await client.execute(uri: "/datasets", method: .post, headers: headers, body: body)
            #expect(page.status == .badRequest)
            #expect(page.text.contains("broken:3"))
            #expect(page.text.contains("expected 2 fields"))
        }
    }

    @Test("train from a dataset's page: the job is submitted on that version and the job page follows")
    func train() async throws {
        try await GatewayFixture.withGateway(withTrainer: true) { client, fixture in
            let registry = try await fixture.registryClient()
            let record = try await registry.dataset("bank")
            await registry.close()
            let page = try await client.execute(uri: "/datasets/bank@\(record.sha256)", method: .get)
            #expect(page.text.contains("class=\"train-button\""))
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let refused = try await client.execute(
                uri: "/datasets/bank@\(record.sha256)/train", method: .post, headers: form,
                body: ByteBuffer(string: "model_name=bank"))
            #expect(refused.status == .unauthorized)
            let started = try await client.execute(
                uri: "/datasets/bank@\(record.sha256)/train", method: .post, headers: form,
                body: ByteBuffer(string: "model_name=bank&token=\(GatewayFixture.token)"))
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/training/"))
            let id = try #require(Int(location.dropFirst("/training/".count)))
            let job = try await client.execute(uri: "/api/v1/jobs/\(id)", method: .get).object
            #expect(job["dataset"] as? String == "bank@\(record.sha256)")
            #expect(job["model_name"] as? String == "bank")
            _ = try await client.execute(
                uri: "/api/v1/jobs/\(id)/cancel", method: .post,
                headers: [.authorization: "Bearer \(GatewayFixture.token)"])
        }
    }

    @Test("the streaming multipart reader: fields, then the file in pieces, boundaries split across buffers")
    func multipartStream() async throws {
        let file = String(repeating: "x,y\r\n1,2\r\n--not-the-boundary\r\n", count: 200)
        let (_, whole) = Self.form([("name", "n1"), ("token", "t")], file: file)
        let bytes = Array(whole.readableBytesView)
        for piece in [1, 7, 64, 4096] {
            var pieces: [ByteBuffer] = []
            var offset = 0
            while offset < bytes.count {
                pieces.append(ByteBuffer(bytes: bytes[offset..<min(bytes.count, offset + piece)]))
                offset += piece
            }
            let reader = MultipartReader(body: pieces.async.makeAsyncIterator(), boundary: "----churn-dataset-boundary")
            let (fields, filename) = try await reader.fieldsBeforeFile(file: "file")
            #expect(fields == ["name": "n1", "token": "t"])
            #expect(filename == "c.csv")
            var content: [UInt8] = []
            for try await buffer in reader.fileBytes() { content += buffer.readableBytesView }
            #expect(String(decoding: content, as: UTF8.self) == file, "pieces of \(piece)")
            try await reader.finish()
        }
        // Cut short: the file's bytes end with an error, never as if complete.
        let cut = MultipartReader(
            body: [ByteBuffer(bytes: bytes.prefix(bytes.count - 40))].async.makeAsyncIterator(),
            boundary: "----churn-dataset-boundary")
        _ = try await cut.fieldsBeforeFile(file: "file")
        await #expect(throws: GatewayError.self) { for try await _ in cut.fileBytes() {} }
    }
}

/// An array as an async sequence (test input for the streaming readers).
struct AsyncArray<Element: Sendable>: AsyncSequence, Sendable {
    let elements: [Element]

    func makeAsyncIterator() -> Iterator { Iterator(elements: elements) }

    struct Iterator: AsyncIteratorProtocol {
        var elements: [Element]
        var index = 0

        mutating func next() async -> Element? {
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    var async: AsyncArray<Element> { AsyncArray(elements: self) }
}
