import ChurnML
import Foundation
import Hummingbird
import NIOCore
import Wire

/// The registry part of the JSON API: models (list, search, versions, show, evaluation, alias
/// set) and datasets (list, show). Records are the registry's own JSON (wire.md §12).
struct RegistryAPI: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// Evaluation details read from bundles.
    let evaluations: EvaluationCache
    /// Who may write.
    let tokens: TokenGuard
    /// Limits.
    let configuration: GatewayConfiguration

    /// `GET /api/v1/models`: every model name with its version count and aliases.
    func models(_ request: Request, context: some RequestContext) async throws -> Response {
        let answer = try await backends.withRegistry { try await $0.call(ModelListRequest()) }
        return Reply.json(ModelsAnswer(models: answer.models ?? []))
    }

    /// `GET /api/v1/models/search?q=QUERY`: versions matching a registry query.
    func search(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let query = request.uri.queryParameters["q"].map(String.init), !query.isEmpty else {
            throw GatewayError.invalidInput(
                "give a query",
                fields: [
                    FieldError(field: "q", message: "missing, e.g. q=metrics.roc_auc >= 0.85 order by created desc")
                ])
        }
        let items = try await backends.withRegistry { try await $0.search(query) }
        return Reply.json(RegistryList(items))
    }

    /// `GET /api/v1/models/{name}`: the name's versions, oldest first.
    func versions(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let answer = try await backends.withRegistry { try await $0.call(ModelListRequest(name: name)) }
        let versions = answer.versions ?? []
        if versions.isEmpty { throw GatewayError.notFound("no model named \"\(name)\"") }
        return Reply.json(VersionsAnswer(name: name, versions: versions))
    }

    /// `GET /api/v1/models/{name}/{ref}`: one version (`ref` = number or alias) and where the name is live.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        let answer = try await backends.withRegistry { try await $0.model(reference) }
        return Reply.json(answer)
    }

    /// `GET /api/v1/models/{name}/{ref}/evaluation`: confusion matrix, ROC and PR curves, calibration
    /// and loss history, read from the version's bundle.
    func evaluation(_ request: Request, context: some RequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        let (version, evaluation) = try await evaluations.evaluation(of: reference, backends: backends)
        return Reply.json(EvaluationAnswer(name: version.name, version: version.version, evaluation: evaluation))
    }

    /// `PUT /api/v1/models/{name}/aliases/{alias}` with `{"version": N}`: points the alias at the
    /// version (token needed when one is configured).
    func setAlias(_ request: Request, context: some RequestContext) async throws -> Response {
        try tokens.check(TokenGuard.bearer(request))
        let name = try context.parameters.require("name")
        let alias = try context.parameters.require("alias")
        let body = try await RequestBodies.collect(request, limit: 64 * 1024)
        let version: Int
        let parsed: JSONValue?
        do throws(JSONParser.SyntaxError) {
            parsed = try JSONParser.parse(body.readableBytesView)
        } catch let error where error.duplicateKey != nil {
            throw GatewayError.invalidInput(
                "the body is not valid JSON", fields: [FieldError(field: "body", message: "\(error)")])
        } catch {
            parsed = nil
        }
        switch parsed {
        case .object(let object):
            guard case .number(let value) = object["version"], case let number = value.double,
                number == number.rounded(), number >= 1, number < 1e9
            else {
                throw GatewayError.invalidInput(
                    "give the version",
                    fields: [
                        FieldError(
                            field: "version",
                            message: "expected a version number ≥ 1, got \(object["version"]?.described ?? "nothing")")
                    ])
            }
            version = Int(number)
        default:
            throw GatewayError.invalidInput(
                "the body must be a JSON object",
                fields: [FieldError(field: "body", message: "expected {\"version\": N}")])
        }
        let change = try await setAlias(name: name, alias: alias, version: version, who: "gateway")
        return Reply.json(change)
    }

    /// Points `alias` of `name` at `version` on the registry.
    func setAlias(name: String, alias: String, version: Int, who: String) async throws -> AliasChange {
        try await backends.withRegistry {
            try await $0.call(AliasSetRequest(name: name, alias: alias, version: version, who: who))
        }
    }

    /// `GET /api/v1/datasets`: every pushed dataset, newest first.
    func datasets(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = request.uri.queryParameters["name"].map(String.init)
        let items = try await backends.withRegistry { try await $0.datasets(name: name) }
        return Reply.json(RegistryList(items))
    }

    /// `GET /api/v1/datasets/{ref}`: one dataset by `name` or `name@sha256prefix`.
    func dataset(_ request: Request, context: some RequestContext) async throws -> Response {
        let reference = try context.parameters.require("ref")
        let record = try await backends.withRegistry { try await $0.dataset(reference) }
        return Reply.json(record)
    }

    /// `name@ref` from the path.
    static func reference(_ context: some RequestContext) throws -> String {
        let name = try context.parameters.require("name")
        let ref = try context.parameters.require("ref")
        return "\(name)@\(ref)"
    }

    /// `{"models": [summary]}`.
    struct ModelsAnswer: Encodable {
        var models: [ModelSummary]
    }

    /// `{"name", "versions": [version]}`.
    struct VersionsAnswer: Encodable {
        var name: String
        var versions: [ModelVersion]
    }

    /// `{"name", "version", "evaluation"}`.
    struct EvaluationAnswer: Encodable {
        var name: String
        var version: Int
        var evaluation: BundleEvaluation
    }
}
