import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `churn serve gateway` and the gateway inside `churn serve all`, as real processes over HTTP.
@Suite("serve gateway", .serialized)
struct GatewayCLITests {
    /// `POST url` with a JSON body; (status, parsed JSON object).
    static func post(_ url: String, json: String) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    @Test("serve all answers POST /api/v1/predict with the predictor's own probability")
    func serveAllPredictsOverHTTP() async throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let all = try ServeAllProcess(dataDir: directory.appendingPathComponent("state").path)
        let (status, answer) = try await Self.post(
            "http://127.0.0.1:\(all.httpPort)/api/v1/predict", json: "{\"rows\":[\(ServeAllTests.row)],\"explain\":2}")
        #expect(status == 200)
        let model = try #require(answer["model"] as? [String: Any])
        #expect(model["name"] as? String == "churn")
        #expect(model["version"] as? String == "1")
        let prediction = try #require((answer["predictions"] as? [[String: Any]])?.first)
        let rpc = try ServeAllTests.probability(["predict", "--predictor", ServeAllProcess.address(all.predictorPort)])
        #expect(prediction["probability"] as? Double == rpc)
        #expect((prediction["factors"] as? [Any])?.count == 2)
        let (badStatus, bad) = try await Self.post(
            "http://127.0.0.1:\(all.httpPort)/api/v1/predict", json: "{\"rows\":[{\"Age\":\"old\"}]}")
        #expect(badStatus == 400)
        #expect(((bad["error"] as? [String: Any])?["code"] as? String) == "invalid_input")
        let stopped = all.stop()
        #expect(stopped.status == 0)
        #expect(stopped.seconds < 2)
    }

    @Test(
        "bad addresses are refused, naming the flag",
        arguments: [
            (["--listen", "nowhere"], "--listen"), (["--predictor", "x:y"], "--predictor"),
            (["--registry", ":1"], "--registry"),
            (["--trainer", "host"], "--trainer"),
        ])
    func badFlags(arguments: [String], flag: String) throws {
        let result = try ChurnProcess.run(["serve", "gateway"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(flag), "\(result.stderr)")
    }
}
