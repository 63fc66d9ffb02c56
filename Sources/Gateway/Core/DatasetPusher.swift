import NIOCore
import ServiceKit
import Wire

/// Pushes a dataset whose bytes arrive as an HTTP request body, streaming them to the registry as
/// blob-upload chunks (``RegistryClient/upload(chunks:name:maxBytes:onChunk:)``) and then registering
/// the blob by its SHA-256 (DatasetRegister), which makes the registry read, check and profile it.
///
/// Each push uses a wire connection of its own, closed afterwards: an upload that fails half-way (too
/// large, the client went away) is then discarded by the registry, and 1 MiB chunks never queue in
/// front of the shared connections' small calls. The gateway holds at most one chunk of the file.
struct DatasetPusher: Sendable {
    /// The registry's address, the token and the limits.
    let configuration: GatewayConfiguration

    /// Streams `chunks` to the registry as dataset `name` and returns its record (with dialect and
    /// profile). More than `configuration.maxUploadBytes` is a 413; a file the registry refuses is a
    /// 400 with its located message. `delimiter` forces the CSV delimiter (detected when nil). `onChunk`
    /// sees the bytes the registry has received after each chunk.
    func push<Chunks: AsyncSequence>(
        name: String, description: String = "", delimiter: String? = nil, chunks: Chunks,
        onChunk: (UInt64) -> Void = { _ in }
    ) async throws -> DatasetRecord where Chunks.Element == ByteBuffer {
        try Self.checkName(name)
        var wire = WireClientConfiguration(clientName: "churn-gateway-upload", token: configuration.token)
        wire.connectTimeout = configuration.connectTimeout
        wire.requestTimeout = configuration.requestTimeout
        let registry: RegistryClient
        do {
            // The first replica that answers (the upload is not moved to another one if it fails half-way).
            registry = try await RegistryClient.connect(endpoints: configuration.registry, configuration: wire)
        } catch let error as RegistryUnreachable {
            throw GatewayError(
                status: .serviceUnavailable, code: "registry_unreachable",
                message: "the registry cannot be reached: \(error)")
        } catch {
            throw GatewayError.unreachable(role: "registry", address: configuration.registry, reason: error)
        }
        do {
            let blob = try await registry.upload(
                chunks: chunks, name: name, maxBytes: UInt64(configuration.maxUploadBytes), onChunk: onChunk)
            // The registry reads, types and profiles the whole file before it answers: allow for a large one.
            let record = try await registry.call(
                DatasetRegisterRequest(name: name, sha256: blob.sha256, description: description, delimiter: delimiter),
                timeout: Self.registerTimeout)
            await registry.close()
            return record
        } catch {
            await registry.close()
            throw Self.failure(error, limit: configuration.maxUploadBytes)
        }
    }

    /// How long DatasetRegister may take (the registry reads and profiles the whole file first).
    static let registerTimeout = TimeAmount.minutes(10)

    /// The HTTP rendering of a failed push.
    static func failure(_ error: any Error, limit: Int) -> GatewayError {
        if error is BlobUploadTooLarge { return tooLarge(limit) }
        if case WireClientError.server(.invalidRequest, let message, let field) = error {
            // The registry refused the name or read the file and refused it (its message names the line and column).
            return GatewayError.invalidInput(message, fields: [FieldError(field: field ?? "file", message: message)])
        }
        return GatewayError.from(error, role: "registry")
    }

    /// 413 for an upload over `--max-upload-bytes`.
    static func tooLarge(_ limit: Int) -> GatewayError {
        GatewayError(
            status: .contentTooLarge, code: "body_too_large",
            message: "the upload is larger than \(limit) bytes (--max-upload-bytes)",
            fields: [FieldError(field: "file", message: "at most \(limit) bytes")])
    }

    /// A 400 unless `name` is a registry name (`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`), checked before any
    /// byte is uploaded (the registry checks it again).
    static func checkName(_ name: String) throws {
        let bytes = Array(name.utf8)
        func allowed(_ byte: UInt8, first: Bool) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || (!first && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")))
        }
        guard let first = bytes.first, bytes.count <= 128, allowed(first, first: true),
            bytes.dropFirst().allSatisfy({ allowed($0, first: false) })
        else {
            throw GatewayError.invalidInput(
                "\"\(RowEncoder.short(Substring(name)))\" is not a dataset name",
                fields: [
                    FieldError(
                        field: "name",
                        message: "1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit")
                ])
        }
    }
}
