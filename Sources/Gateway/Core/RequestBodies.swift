import Hummingbird
import NIOCore

/// Reading request bodies under a size limit.
enum RequestBodies {
    /// The whole body; a body over `limit` bytes is a 413 ``GatewayError``.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw GatewayError(
                status: .contentTooLarge, code: "body_too_large", message: "the body is larger than \(limit) bytes",
                fields: [FieldError(field: "body", message: "at most \(limit) bytes")])
        }
    }
}
