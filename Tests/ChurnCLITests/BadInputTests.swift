import Foundation
import Testing

/// Every kind of bad input gives a non-zero exit and one clear message naming where the problem
/// is — never a trap or a stack trace.
@Suite("CLI bad input", .serialized)
struct BadInputTests {
    let directory: URL

    init() throws {
        directory = try ChurnProcess.temporaryDirectory()
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs churn and checks the failure shape: non-zero exit, message on stderr, no crash output.
    private func expectFailure(_ arguments: [String], mentions fragments: [String]) throws {
        let result = try ChurnProcess.run(arguments)
        #expect(result.status != 0, "exit status for \(arguments)")
        #expect(result.status < 128, "churn must exit, not die from a signal: \(result.status)")
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "stderr \(result.stderr) should mention \(fragment)")
        }
        for crashMarker in ["Fatal error", "Stack dump", "Current stack trace", "SIGILL", "SIGSEGV"] {
            #expect(!result.stderr.contains(crashMarker))
        }
    }

    private var goodCSV: String {
        var text = "id,age,plan,gender,churned\n"
        for index in 0..<40 {
            text +=
                "\(index),\(20 + index % 25),\(["basic", "pro", "team"][index % 3]),\(index % 2 == 0 ? "F" : "M"),\(index % 4 == 0 ? 1 : 0)\n"
        }
        return text
    }

    @Test("training data errors name file, line, column and value")
    func trainingErrors() throws {
        let out = directory.appendingPathComponent("m.churn").path
        try expectFailure(["train", try write("empty.csv", ""), "--out", out], mentions: ["empty.csv", "empty"])
        try expectFailure(["train", try write("header.csv", "a,b,churned\n"), "--out", out], mentions: ["header.csv"])
        try expectFailure(
            ["train", try write("ragged.csv", "a,b,churned\n1,2,0\n3,1\n"), "--out", out], mentions: ["ragged.csv:3"])
        try expectFailure(
            ["train", try write("notarget.csv", "a,b\n1,2\n3,4\n"), "--out", out], mentions: ["--target"])
        try expectFailure(
            ["train", try write("three.csv", "a,b,churned\n1,2,0\n3,4,1\n5,6,2\n"), "--out", out],
            mentions: ["three.csv", "churned", "2"])
        try expectFailure(
            ["train", try write("nofile.csv", goodCSV), "--out", out, "--target", "nope"], mentions: ["nope"])
        let schema = try write("schema.json", #"{"columns": {"Bogus": "id"}}"#)
        try expectFailure(
            ["train", try write("good.csv", goodCSV), "--out", out, "--schema", schema],
            mentions: ["Bogus", "schema.json"])
        try expectFailure(
            ["train", directory.appendingPathComponent("missing.csv").path, "--out", out], mentions: ["missing.csv"])
        let badNumber = goodCSV.replacingOccurrences(of: "\n7,27,", with: "\n7,twenty,")
        let numeric = try write("numeric.json", #"{"columns": {"age": "numeric"}}"#)
        try expectFailure(
            ["train", try write("badnumber.csv", badNumber), "--out", out, "--schema", numeric],
            mentions: ["badnumber.csv:9", "age", "twenty", "not a number"])
        try expectFailure(
            ["train", try write("good2.csv", goodCSV), "--out", out, "--layers", "6,x"], mentions: ["--layers"])
        try expectFailure(
            ["train", try write("good3.csv", goodCSV), "--out", out, "--epochs", "0"], mentions: ["--epochs"])
    }

    @Test("prediction rows with a missing field or a wrong type are refused with the field named")
    func predictionErrors() throws {
        let model = directory.appendingPathComponent("model.churn").path
        let trained = try ChurnProcess.run([
            "train", try write("train.csv", goodCSV), "--out", model, "--epochs", "2", "--json",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        try expectFailure(
            ["predict", model, "--row", #"{"age": 30, "plan": "pro"}"#], mentions: ["gender", "missing"])
        try expectFailure(
            ["predict", model, "--row", #"{"age": "forty", "plan": "pro", "gender": "F"}"#],
            mentions: ["age", "forty", "not a number"])
        try expectFailure(["predict", model, "--row", "[1, 2]"], mentions: ["--row"])
        try expectFailure(
            ["predict", model, "--row", #"{"age": 30, "plan": "gold", "gender": "F"}"#, "--unseen", "error"],
            mentions: ["plan", "gold"])
        try expectFailure(
            ["predict", try write("junk.churn", "not a model"), "--row", #"{"age": 30}"#], mentions: ["junk.churn"])
        let ok = try ChurnProcess.run([
            "predict", model, "--row", #"{"age": 30, "plan": "pro", "gender": "F"}"#, "--json",
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("\"probability\""))
    }
}
