import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Wire

@testable import Gateway

/// The jobs API and the training pages against a real trainer (in-process, over the real registry).
@Suite("Gateway jobs and training")
struct JobsAPITests {
    static let json: HTTPFields = [.contentType: "application/json"]
    static let bearer: HTTPFields = [
        .contentType: "application/json", .authorization: "Bearer \(GatewayFixture.token)",
    ]

    /// The job's record once it has finished (polling the API).
    static func finished(_ client: any TestClientProtocol, _ id: Int) async throws -> [String: Any] {
        for _ in 0..<600 {
            let job = try await client.execute(uri: "/api/v1/jobs/\(id)", method: .get).object
            if let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return job }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return [:]
    }

    @Test("without a trainer, jobs are 503 no_trainer and the training page says so")
    func noTrainer() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let jobs = try await client.execute(uri: "/api/v1/jobs", method: .get)
            #expect(jobs.status == .serviceUnavailable)
            #expect(jobs.errorCode == "no_trainer")
            let page = try await client.execute(uri: "/training", method: .get)
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("--trainer HOST:PORT"))
        }
    }

    @Test("submit: 401 without the token, 400 naming a bad option, 201 and a published version with it")
    func submit() async throws {
        try await GatewayFixture.withGateway(withTrainer: true) { client, fixture in
            let body = ByteBuffer(
                string: #"{"dataset":"bank","model_name":"churn","options":{"epochs":3,"validation_split":0.1}}"#)
            let none = try await client.execute(uri: "/api/v1/jobs", method: .post, headers: Self.json, body: body)
            #expect(none.status == .unauthorized)
            let bad = try await client.execute(
                uri: "/api/v1/jobs", method: .post, headers: Self.bearer,
                body: ByteBuffer(string: #"{"dataset":"bank","options":{"epochs":"many"}}"#))
            #expect(bad.status == .badRequest)
            #expect(bad.errorFields == ["options.epochs"])
            let notJSON = try await client.execute(
                uri: "/api/v1/jobs", method: .post, headers: Self.bearer, body: ByteBuffer(string: "{"))
            #expect(notJSON.status == .badRequest)
            let created = try await client.execute(uri: "/api/v1/jobs", method: .post, headers: Self.bearer, body: body)
            #expect(created.status == .created)
            let id = try #require(created.object["id"] as? Int)
            let job = try await Self.finished(client, id)
            #expect(job["state"] as? String == "succeeded")
            let result = try #require(job["result"] as? [String: Any])
            #expect(result["model_version"] as? Int == 2)
            #expect(result["epochs_run"] as? Int == 3)
            let registry = try await fixture.registryClient()
            #expect(try await registry.model("churn@2").version.version == 2)
            await registry.close()
            let list = try await client.execute(uri: "/api/v1/jobs", method: .get)
            #expect((list.object["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [id])
            let missing = try await client.execute(uri: "/api/v1/jobs/999", method: .get)
            #expect(missing.status == .notFound)
            // The finished job's page shows the outcome and the loss curve from the published bundle.
            let page = try await client.execute(uri: "/training/\(id)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"outcome\""))
            #expect(page.text.contains("<svg id=\"loss-chart\""))
            #expect(page.text.contains("href=\"/models/churn/2\""))
        }
    }

    @Test("events: a running job streams progress epochs in order, and cancelling it ends the stream with its state")
    func eventsAndCancel() async throws {
        try await GatewayFixture.withGateway(withTrainer: true) { client, _ in
            let created = try await client.execute(
                uri: "/api/v1/jobs", method: .post, headers: Self.bearer,
                body: ByteBuffer(string: #"{"dataset":"bank","options":{"epochs":100000}}"#))
            let id = try #require(created.object["id"] as? Int)
            let stream = Task { try await client.execute(uri: "/api/v1/jobs/\(id)/events", method: .get) }
            // Let it train (and stream) a little, then cancel.
            for _ in 0..<200 {
                let job = try await client.execute(uri: "/api/v1/jobs/\(id)", method: .get).object
                if ((job["progress"] as? [String: Any])?["epoch"] as? Int ?? 0) >= 5 { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            try await Task.sleep(nanoseconds: 300_000_000)
            let unauthorized = try await client.execute(uri: "/api/v1/jobs/\(id)/cancel", method: .post)
            #expect(unauthorized.status == .unauthorized)
            let cancelled = try await client.execute(
                uri: "/api/v1/jobs/\(id)/cancel", method: .post, headers: Self.bearer)
            #expect(cancelled.status == .ok)
            let events = try await stream.value
            #expect(events.status == .ok)
            #expect(events.headers[.contentType] == "text/event-stream")
            let frames = events.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            let progress = frames.filter { $0.hasPrefix("event: progress\n") }.compactMap { frame -> Int? in
                let json = frame.dropFirst("event: progress\ndata: ".count)
                return (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["epoch"] as? Int
            }
            #expect(!progress.isEmpty)
            #expect(progress == progress.sorted() && Set(progress).count == progress.count)
            let last = try #require(frames.last)
            #expect(last.hasPrefix("event: state\n"))
            #expect(last.contains("\"state\":\"cancelled\""))
            let job = try await Self.finished(client, id)
            #expect(job["state"] as? String == "cancelled")
        }
    }

    @Test(
        "a trainer list (a dead replica first): jobs are submitted, listed and streamed through the live one; /healthz lists both"
    )
    func trainerReplicas() async throws {
        let configure: (inout GatewayConfiguration) -> Void = { configuration in
            guard let live = configuration.trainer?.first else { return }
            configuration.trainer = try? RoleEndpoints([RoleEndpoint(host: "127.0.0.1", port: 1), live])
        }
        try await GatewayFixture.withGateway(withTrainer: true, configure: configure) { client, _ in
            let created = try await client.execute(
                uri: "/api/v1/jobs", method: .post, headers: Self.bearer,
                body: ByteBuffer(string: #"{"dataset":"bank","options":{"epochs":2,"validation_split":0}}"#))
            #expect(created.status == .created)
            let id = try #require(created.object["id"] as? Int)
            #expect(try await Self.finished(client, id)["state"] as? String == "succeeded")
            for _ in 0..<5 {
                let list = try await client.execute(uri: "/api/v1/jobs", method: .get)
                #expect(list.status == .ok)
            }
            let events = try await client.execute(uri: "/api/v1/jobs/\(id)/events", method: .get)
            #expect(events.status == .ok)
            #expect(events.text.contains("\"state\":\"succeeded\""))
            let health = try await client.execute(uri: "/healthz", method: .get).object
            let trainer = try #require((health["roles"] as? [String: Any])?["trainer"] as? [String: Any])
            #expect(trainer["status"] as? String == "serving")
            let replicas = try #require(trainer["replicas"] as? [[String: Any]])
            #expect(replicas.count == 2)
            #expect(replicas.first?["address"] as? String == "127.0.0.1:1")
            #expect(replicas.first?["in_rotation"] as? Bool == false)
        }
    }

    @Test("training form: bad numbers are shown next to their fields; a good form starts a job and goes to its page")
    func trainingForm() async throws {
        try await GatewayFixture.withGateway(withTrainer: true) { client, _ in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let page = try await client.execute(uri: "/training", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("<option value=\"bank\""))
            let good =
                "dataset=bank&model_name=churn&hidden_layers=6%2C6&epochs=2&batch_size=32&learning_rate=0.001&validation_split=0&seed=1"
            let bad = try await client.execute(
                uri: "/training", method: .post, headers: form,
                body: ByteBuffer(
                    string: good.replacingOccurrences(of: "epochs=2", with: "epochs=2.5")
                        .replacingOccurrences(of: "hidden_layers=6%2C6", with: "hidden_layers=6%2Cx")
                        + "&token=\(GatewayFixture.token)"))
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("id=\"error-field-epochs\""))
            #expect(bad.text.contains("id=\"error-field-hidden_layers\""))
            let noToken = try await client.execute(
                uri: "/training", method: .post, headers: form, body: ByteBuffer(string: good))
            #expect(noToken.status == .unauthorized)
            let started = try await client.execute(
                uri: "/training", method: .post, headers: form,
                body: ByteBuffer(string: good + "&token=\(GatewayFixture.token)"))
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/training/"))
            let job = try await Self.finished(client, Int(location.dropFirst("/training/".count)) ?? 0)
            #expect(job["state"] as? String == "succeeded")
            #expect(((job["options"] as? [String: Any])?["hidden_layers"] as? [Int]) == [6, 6])
            #expect(((job["options"] as? [String: Any])?["seed"] as? Int) == 1)
        }
    }
}
