import Foundation
import Testing

@testable import ChurnML

/// A small trained bundle on synthetic data, made with a fixed creation time.
private func trainedBundle(seed: UInt64 = 1, rows: Int = 600) throws -> ModelBundle {
    let bytes = SyntheticBankData.csv(rows: rows, seed: 11)
    let table = try CSVReader.parse(bytes, source: "synthetic.csv")
    let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
    var configuration = TrainingConfiguration()
    configuration.epochs = 3
    configuration.seed = seed
    let outcome = try ModelTrainer.train(
        table: table, schema: schema, configuration: configuration,
        dataset: DatasetIdentity(sha256: SHA256Digest.hex(of: bytes), source: "synthetic.csv"),
        created: "2026-01-01T00:00:00Z")
    return outcome.bundle
}

@Suite("Model bundle")
struct BundleTests {
    @Test("encode → decode gives back the same bundle and the same predictions")
    func roundTrip() throws {
        let bundle = try trainedBundle()
        let decoded = try BundleCodec.decode(try BundleCodec.encode(bundle))
        #expect(decoded == bundle)
    }

    @Test("same seed twice gives identical bytes; another seed does not")
    func deterministicBytes() throws {
        let first = try BundleCodec.encode(try trainedBundle(seed: 4))
        let second = try BundleCodec.encode(try trainedBundle(seed: 4))
        #expect(first == second)
        #expect(first != (try BundleCodec.encode(try trainedBundle(seed: 5))))
    }

    @Test("the file is a safetensors file with the documented tensors and metadata")
    func layout() throws {
        let bundle = try trainedBundle()
        let file = try SafetensorsFile(parsing: try BundleCodec.encode(bundle))
        #expect(file.metadata["format"] == "churn.model")
        #expect(file.metadata["format_version"] == "1")
        let width = bundle.pipeline.featureCount
        #expect(file.tensors["network.layer0.weight"]?.shape == [width, 6])
        #expect(file.tensors["network.layer2.bias"]?.shape == [1])
        #expect(file.tensors["preprocessing.mean"]?.shape == [width])
        for key in ["schema", "pipeline", "network", "threshold", "metrics", "curves", "lineage", "content_sha256"] {
            #expect(file.metadata[key] != nil, "metadata \(key)")
        }
    }

    @Test("every truncation and a flipped byte in the tensors or metadata are refused")
    func tamper() throws {
        let bytes = try BundleCodec.encode(try trainedBundle())
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            #expect(throws: BundleError.self) { try BundleCodec.decode(Array(bytes[0..<length])) }
        }
        // Flip one byte inside the tensor data (the last byte of the file).
        var altered = bytes
        altered[altered.count - 1] ^= 0x01
        #expect(throws: BundleError.self) { try BundleCodec.decode(altered) }
        // Change a digit of the threshold inside the header's metadata JSON.
        var text = bytes
        let needle = Array("\"threshold\":\"0.5\"".utf8)
        if let start = (0..<(text.count - needle.count)).first(where: {
            Array(text[$0..<($0 + needle.count)]) == needle
        }) {
            text[start + needle.count - 2] = UInt8(ascii: "6")
            #expect(throws: BundleError.self) { try BundleCodec.decode(text) }
        } else {
            Issue.record("threshold metadata not found in the header")
        }
    }

    @Test("a version from the future is refused with the version named")
    func futureVersion() throws {
        var file = try SafetensorsFile(parsing: try BundleCodec.encode(try trainedBundle()))
        file.metadata["format_version"] = "99"
        #expect(throws: BundleError.unsupportedVersion(found: "99", supported: 1)) {
            try BundleCodec.decode(try file.serialized())
        }
    }

    @Test("written file loads from disk and predicts like the in-memory bundle")
    func fileRoundTrip() throws {
        let bundle = try trainedBundle()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bundle-\(UInt32.random(in: 0...UInt32.max)).churn"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sha = try bundle.write(to: path)
        #expect(sha == SHA256Digest.hex(of: try FileBytes.read(path)))
        let loaded = try ModelBundle.load(path: path)
        let rows = try CSVReader.parse(SyntheticBankData.csv(rows: 50, seed: 99), source: "fresh.csv")
        #expect(try loaded.predict(rows).probabilities == bundle.predict(rows).probabilities)
    }
}
