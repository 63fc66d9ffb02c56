import Foundation
import Hummingbird
import Wire

/// Checks the shared token of HTTP callers that change state (alias moves, promotion): from the
/// `Authorization: Bearer TOKEN` header (API) or a `token` form field (pages). Missing → 401,
/// wrong → 403; with no token configured every caller may write, as on the roles themselves. The
/// comparison takes the same time wherever the strings differ (SHA-256 of both, compared whole).
struct TokenGuard: Sendable {
    private let expected: [UInt8]?

    /// Guards with `token` (nil: open).
    init(token: String?) {
        expected = token.map { BlobDigest(hashing: Array($0.utf8)).bytes }
    }

    /// Whether a token is required at all.
    var isRequired: Bool { expected != nil }

    /// Throws 401 when a token is required and `candidate` is nil or empty, 403 when it is wrong.
    func check(_ candidate: String?) throws {
        guard let expected else { return }
        guard let candidate, !candidate.isEmpty else {
            throw GatewayError(
                status: .unauthorized, code: "unauthorized", message: "this action needs the token",
                fields: [FieldError(field: "token", message: "give the token (Authorization: Bearer TOKEN)")])
        }
        let digest = BlobDigest(hashing: Array(candidate.utf8)).bytes
        var difference: UInt8 = 0
        for index in 0..<min(expected.count, digest.count) { difference |= expected[index] ^ digest[index] }
        guard difference == 0, expected.count == digest.count else {
            throw GatewayError(
                status: .forbidden, code: "forbidden", message: "the token is wrong",
                fields: [FieldError(field: "token", message: "wrong token")])
        }
    }

    /// The bearer token of `request`, if any.
    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
