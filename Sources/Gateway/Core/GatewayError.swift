import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import Wire

/// A failed HTTP request: the status, a stable snake_case code, a message and, for bad input, the
/// field-level problems. Rendered as JSON by the API (`{"error":{…}}`) and as a page by the HTML routes.
public struct GatewayError: Error, Sendable, Equatable, HTTPResponseError, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Stable machine-readable code (`invalid_input`, `unauthorized`, `no_model`, …).
    public var code: String
    /// One-line explanation.
    public var message: String
    /// Field-level problems (bad input), empty otherwise.
    public var fields: [FieldError]

    public init(status: HTTPResponse.Status, code: String, message: String, fields: [FieldError] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// `status code: message`.
    public var description: String { "\(status.code) \(code): \(message)" }

    /// 400 with field-level problems.
    static func invalidInput(_ message: String, fields: [FieldError] = []) -> GatewayError {
        GatewayError(status: .badRequest, code: "invalid_input", message: message, fields: fields)
    }

    /// 404.
    static func notFound(_ message: String) -> GatewayError {
        GatewayError(status: .notFound, code: "not_found", message: message)
    }

    /// 503: the gateway was started without `--trainer`.
    static let noTrainer = GatewayError(
        status: .serviceUnavailable, code: "no_trainer",
        message: "the gateway was started without a trainer (--trainer HOST:PORT[,HOST:PORT…])")

    /// 503: a role could not be reached.
    static func unreachable(role: String, address: some CustomStringConvertible, reason: any Error) -> GatewayError {
        GatewayError(
            status: .serviceUnavailable, code: "\(role)_unreachable",
            message: "the \(role) at \(address) cannot be reached: \(reason)")
    }

    /// The HTTP rendering of a failed call to `role`: wire errors keep their meaning (bad input 400,
    /// not found 404, no model 503, …); a broken connection is 503, a timeout 504.
    static func from(_ error: any Error, role: String) -> GatewayError {
        if let error = error as? GatewayError { return error }
        guard let error = error as? WireClientError else {
            return GatewayError(
                status: .badGateway, code: "\(role)_error", message: "calling the \(role) failed: \(error)")
        }
        switch error {
        case .server(let code, let message, let field):
            return fromServer(code: code, message: message, field: field, role: role)
        case .timeout:
            return GatewayError(
                status: .gatewayTimeout, code: "\(role)_timeout", message: "the \(role) did not answer in time")
        case .connectionClosed:
            return GatewayError(
                status: .serviceUnavailable, code: "\(role)_unreachable",
                message: "the connection to the \(role) closed")
        case .protocolViolation(let reason), .blobMismatch(let reason):
            return GatewayError(
                status: .badGateway, code: "\(role)_error", message: "the \(role) answered wrongly: \(reason)")
        }
    }

    private static func fromServer(code: WireErrorCode, message: String, field: String?, role: String) -> GatewayError {
        switch code {
        case .invalidRequest, .limitExceeded:
            let fields = field.map { [FieldError.fromPredictorField($0, message: message)] } ?? []
            return .invalidInput(message, fields: fields)
        case .notFound:
            return .notFound(message)
        case .conflict:
            return GatewayError(status: .conflict, code: "conflict", message: message)
        case .unavailable where role == "predictor":
            return GatewayError(
                status: .serviceUnavailable, code: "no_model", message: "the predictor has no model: \(message)")
        case .unavailable, .tooManyInFlight:
            return GatewayError(status: .serviceUnavailable, code: "\(role)_unavailable", message: message)
        case .unauthorized, .forbidden:
            return GatewayError(
                status: .badGateway, code: "\(role)_refused_token",
                message:
                    "the \(role) refused the gateway's credentials (start the gateway with the role's token): \(message)"
            )
        case .timeout:
            return GatewayError(status: .gatewayTimeout, code: "\(role)_timeout", message: message)
        default:
            return GatewayError(status: .badGateway, code: "\(role)_error", message: "\(code): \(message)")
        }
    }

    /// The JSON body: `{"error":{"status","code","message","fields"}}`.
    struct Body: Encodable {
        /// The error object.
        struct Inner: Encodable {
            /// HTTP status code.
            var status: Int
            /// Stable code.
            var code: String
            /// Explanation.
            var message: String
            /// Field-level problems.
            var fields: [FieldError]
        }
        /// The error.
        var error: Inner
    }

    /// Renders the JSON error response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Reply.json(
            Body(error: .init(status: status.code, code: code, message: message, fields: fields)), status: status)
    }
}
