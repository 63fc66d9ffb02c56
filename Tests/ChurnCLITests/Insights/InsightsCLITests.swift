import Foundation
import Testing

/// `churn train --threshold-policy`, `churn inspect`, `churn report` and `churn score` as a user runs
/// them, on the real dataset (or synthetic rows where it is absent).
@Suite("CLI retention insights", .serialized)
struct InsightsCLITests {
    let directory: URL
    let data: String

    init() throws {
        directory = try ChurnProcess.temporaryDirectory()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let real = root.deletingLastPathComponent().appendingPathComponent("shared/datasets/Churn_Modelling.csv").path
        if FileManager.default.fileExists(atPath: real) {
            data = real
        } else {
            data = directory.appendingPathComponent("synthetic.csv").path
            _ = try ChurnProcess.run(["synth", "--rows", "4000", "--seed", "3", "--out", data])
        }
    }

    private func run(_ arguments: [String]) throws -> ChurnProcess.Result {
        let result = try ChurnProcess.run(arguments)
        #expect(result.status == 0, "churn \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func trainModel(_ extra: [String], epochs: Int = 15) throws -> String {
        let model = directory.appendingPathComponent("model-\(UUID().uuidString).churn").path
        _ = try run(["train", data, "--out", model, "--epochs", String(epochs), "--validation-split", "0.1"] + extra)
        return model
    }

    @Test("the profit policy applies the profit threshold; inspect shows both thresholds and the importance")
    func profitPolicy() throws {
        let model = try trainModel([
            "--threshold-policy", "profit", "--offer-cost", "80", "--customer-value", "900", "--save-rate", "0.4",
        ])
        let inspected = try json(try run(["inspect", model, "--json"]).stdout)
        let thresholds = try #require(inspected["thresholds"] as? [String: Any])
        #expect(thresholds["policy"] as? String == "profit")
        #expect(thresholds["selected_on"] as? String == "validation")
        let profit = try #require(thresholds["profit"] as? Double)
        #expect(inspected["threshold"] as? Double == profit)
        let economics = try #require(thresholds["economics"] as? [String: Any])
        #expect(economics["offer_cost"] as? Double == 80)
        #expect(economics["save_rate"] as? Double == 0.4)
        let insights = try #require(inspected["insights"] as? [String: Any])
        let importance = try #require(insights["importance"] as? [String: Any])
        let columns = try #require(importance["columns"] as? [[String: Any]])
        #expect(columns.count == 10)
        let means = columns.compactMap { $0["mean"] as? Double }
        #expect(means == means.sorted(by: >))
        let text = try run(["inspect", model]).stdout
        #expect(text.contains("thresholds policy profit; best F1 at"))
        #expect(text.contains("importance drop in ROC-AUC when a column is shuffled"))
        #expect(text.contains(try #require(columns.first?["column"] as? String)))
    }

    @Test("report: self-contained HTML whose metrics are churn evaluate's")
    func report() throws {
        let model = try trainModel(["--threshold-policy", "f1"])
        let evaluated = try json(try run(["evaluate", model, data, "--json"]).stdout)
        let page = directory.appendingPathComponent("report.html")
        let said = try run(["report", model, data, "--out", page.path]).stdout
        #expect(said.contains("wrote \(page.path)"))
        let html = try String(contentsOf: page, encoding: .utf8)
        for key in ["accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss", "brier", "threshold"] {
            let value = try #require(evaluated[key] as? Double, "\(key)")
            #expect(html.contains("data-metric=\"\(key)\">\(String(format: "%.4f", value))</td>"), "\(key) = \(value)")
        }
        for id in [
            "summary", "confusion-matrix", "roc-chart", "pr-chart", "calibration-chart", "lift-chart", "gains-chart",
            "importance-chart", "profit-chart", "segments", "lift-table",
        ] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        // Self-contained: no scripts, no external resources (the SVG namespace is an identifier, not a fetch).
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
    }

    @Test("score: every customer ranked by expected value with three factors, and a summary that adds up")
    func score() throws {
        let model = try trainModel([])
        let ranked = directory.appendingPathComponent("ranked.csv")
        let output = try json(
            try run([
                "score", model, data, "--out", ranked.path, "--offer-cost", "50", "--customer-value", "600",
                "--save-rate", "0.5", "--json",
            ]).stdout)
        let summary = try #require(output["summary"] as? [String: Any])
        let lines = try String(contentsOf: ranked, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.first == "rank")
        #expect(
            Array(header.suffix(6)) == [
                "churn_probability", "risk_band", "expected_value", "factor_1", "factor_2", "factor_3",
            ])
        let customers = try #require(summary["customers"] as? Int)
        #expect(lines.count - 1 == customers)
        var previous = Double.infinity
        var positive = 0
        var reached = 0.0
        for (index, line) in lines.dropFirst().enumerated() {
            // Factors are the last three fields and may hold no commas (phrases have none); ids may be quoted.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let tail = Array(fields.suffix(6))
            #expect(fields.first == String(index + 1))
            let probability = try #require(Double(tail[0]))
            let value = try #require(Double(tail[2]))
            #expect(abs(value - (probability * 0.5 * 600 - 50)) < 0.01 + 1e-6 * 600, "line \(index + 2)")
            #expect(value <= previous + 1e-9)
            previous = value
            if value > 0 {
                positive += 1
                reached += probability
            }
            #expect(["low", "moderate", "high", "very high"].contains(tail[1]))
            #expect(tail[3].contains(" churn risk by ") || tail[3].contains("almost no difference"))
        }
        let targeted = try #require(summary["targeted"] as? Int)
        #expect(abs(targeted - positive) <= 2)
        let expectedReached = try #require(summary["expected_churners_reached"] as? Double)
        #expect(abs(expectedReached - reached) < 0.01 * max(1, reached))
        let text = try run(["score", model, data, "--out", ranked.path]).stdout
        #expect(text.contains("customers (expected value > 0)"))
        #expect(text.contains("expected profit"))
    }

    @Test("bad insight options are refused with the option named")
    func badOptions() throws {
        let out = directory.appendingPathComponent("x.churn").path
        for (arguments, fragment) in [
            (["train", data, "--out", out, "--threshold-policy", "best"], "threshold-policy"),
            (["train", data, "--out", out, "--save-rate", "2"], "save-rate"),
            (["train", data, "--out", out, "--offer-cost", "-5"], "offer-cost"),
        ] {
            let result = try ChurnProcess.run(arguments)
            #expect(result.status != 0 && result.status < 128)
            #expect(result.stderr.contains(fragment), "\(result.stderr)")
        }
        let model = try trainModel([], epochs: 2)
        let result = try ChurnProcess.run(["score", model, data, "--out", out, "--value-column", "Nope"])
        #expect(result.status != 0 && result.status < 128)
        #expect(result.stderr.contains("no column \"Nope\""), "\(result.stderr)")
    }
}
