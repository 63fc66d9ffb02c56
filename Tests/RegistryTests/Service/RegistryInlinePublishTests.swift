import ChurnML
import Foundation
import NIOCore
import Testing
import Wire

@testable import Registry

/// ModelPublishInline (0x011C) against the chunked upload + ModelPublish path it short-cuts.
@Suite("Registry inline publish")
struct RegistryInlinePublishTests {
    /// Sends a hand-built inline publish request.
    static func sendInline(_ client: RegistryClient, bundle: [UInt8], name: String, sha256: String) async throws
        -> ModelVersion
    {
        var bytes = ByteBufferAllocator().buffer(capacity: bundle.count)
        bytes.writeBytes(bundle)
        let request = try ModelPublishInlineRequest(
            publish: ModelPublishRequest(name: name, sha256: sha256), bundle: bytes)
        let answer = try await client.wire.request(opcode: .modelPublishInline, body: request.encodedBody())
        return try JSONDocument.decode(from: answer).decode(ModelVersion.self)
    }

    @Test("inline and chunked publishes give the same record, blob and event; a wrong digest is refused")
    func inlineMatchesChunked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = try await RunningRegistry.start(directory: directory.path)
        let client = try await registry.client()
        let bundle = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7)
        let digest = SHA256Digest.hex(of: bundle)

        // Chunked: BlobUploadBegin/Chunk/Commit, then ModelPublish by digest.
        let uploaded = try await client.upload(bytes: bundle, name: "chunked")
        let chunked = try await client.call(ModelPublishRequest(name: "chunked", sha256: uploaded, tags: ["k": "v"]))
        // Inline, through the client (the bundle is far below the 1 MiB inline limit).
        #expect(bundle.count < ModelPublishInlineRequest.maxBundleLength)
        let inline = try await client.publishModel(
            bundle: bundle, name: "inline", tags: ["k": "v"], alias: "production")

        #expect(chunked.bundleSHA256 == digest && inline.bundleSHA256 == digest)
        #expect(inline.version == 1 && inline.aliases == ["production"])
        #expect(inline.metrics == chunked.metrics && inline.tags == chunked.tags)
        #expect(try await client.fetchModel("inline@production").bytes == bundle)
        let kinds = try await client.events(after: 0).events.map(\.kind.rawValue)
        #expect(kinds == ["model.published", "model.published", "alias.moved"])

        // A digest that is not the bundle's: refused, and nothing was published.
        let other = String(repeating: "ab", count: 32)
        do {
            _ = try await Self.sendInline(client, bundle: bundle, name: "inline", sha256: other)
            Issue.record("an inline bundle with the wrong digest was accepted")
        } catch {
            #expect(serverCode(error) == .checksumMismatch)
        }
        // Bytes that are not a bundle: refused as an invalid bundle.
        let junk = [UInt8](repeating: 7, count: 100)
        do {
            _ = try await Self.sendInline(client, bundle: junk, name: "inline", sha256: SHA256Digest.hex(of: junk))
            Issue.record("junk bytes were published")
        } catch {
            #expect(serverCode(error) == .invalidRequest)
        }
        #expect(try await client.model("inline").version.version == 1)
        #expect(try await Self.sendInline(client, bundle: bundle, name: "inline", sha256: digest).version == 2)
        await client.close()
        try await registry.stop()
    }

    @Test("an inline publish without the token is refused when one is configured")
    func inlineNeedsToken() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = try await RunningRegistry.start(directory: directory.path, token: "s3cret")
        let anonymous = try await registry.client()
        do {
            _ = try await anonymous.publishModel(
                bundle: try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7), name: "m")
            Issue.record("an inline publish without the token was accepted")
        } catch {
            #expect(serverCode(error) == .unauthorized)
        }
        #expect(try await anonymous.call(ModelListRequest()).models?.isEmpty == true)
        await anonymous.close()
        try await registry.stop()
    }
}
