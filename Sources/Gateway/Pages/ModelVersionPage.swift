import Hummingbird
import NIOCore
import Wire

/// One model version (`GET /models/{name}/{version}`): metrics, aliases, where it is live, and its
/// evaluation as server-rendered SVG — confusion matrix, ROC and precision–recall curves,
/// calibration and the loss curve — with a form to promote it to `production`
/// (`POST /models/{name}/{version}/promote`, token needed when one is configured).
struct ModelVersionPage: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// Evaluations read from bundles.
    let evaluations: EvaluationCache
    /// Who may promote.
    let tokens: TokenGuard
    /// Moving aliases.
    let registry: RegistryAPI
    /// What the gateway's predictor serves.
    let service: PredictionService

    /// `GET /models/{name}/{version}`.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let version = try context.parameters.require("version")
        let notice =
            request.uri.queryParameters["promoted"] != nil
            ? HTML.notice("ok", "Promoted: <b>production</b> now points at this version.") : ""
        return await render(name: name, version: version, notice: notice, status: .ok)
    }

    /// `POST /models/{name}/{version}/promote`: points `production` at the version.
    func promote(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let versionText = try context.parameters.require("version")
        let body = try await RequestBodies.collect(request, limit: 64 * 1024)
        let form = try PageForm(urlEncoded: body)
        do {
            try tokens.check(form["token"] ?? TokenGuard.bearer(request))
            guard let version = Int(versionText) else {
                throw GatewayError.notFound("no version \"\(versionText)\" of \(name)")
            }
            _ = try await registry.setAlias(name: name, alias: "production", version: version, who: "gateway page")
            return Reply.redirect("/models/\(HTML.pathSegment(name))/\(version)?promoted=1")
        } catch {
            let failure = GatewayError.from(error, role: "registry")
            return await render(
                name: name, version: versionText,
                notice: HTML.notice("error", "Not promoted: \(HTML.escape(failure.message))"), status: failure.status)
        }
    }

    /// The page, or an error page when the version cannot be read.
    private func render(name: String, version: String, notice: String, status: HTTPResponse.Status) async -> Response {
        let reference = "\(name)@\(version)"
        let title = "\(name) v\(version)"
        do {
            let shown = try await backends.withRegistry { try await $0.model(reference) }
            let evaluation: BundleEvaluation?
            var evaluationProblem = ""
            do {
                evaluation = try await evaluations.evaluation(of: reference, backends: backends).1
            } catch {
                evaluation = nil
                evaluationProblem = HTML.notice(
                    "error",
                    "The evaluation cannot be shown: \(HTML.escape(GatewayError.from(error, role: "registry").message))"
                )
            }
            let served = try? await service.schema()
            let servedHere = served?.sha256 == shown.version.bundleSHA256 ? backends.predictor.address.description : nil
            let body =
                "<h1>\(HTML.escape(title))</h1>"
                + ModelMonitoringPage.tabs(name: name, version: version, active: "overview") + notice
                + evaluationProblem
                + Self.overview(shown, tokenRequired: tokens.isRequired, servedBy: servedHere)
                + (evaluation.map(ModelCharts.html) ?? "")
            return Reply.html(HTML.page(title: title, active: "/models", body: body), status: status)
        } catch {
            let failure = GatewayError.from(error, role: "registry")
            let body = "<h1>\(HTML.escape(title))</h1>" + notice + HTML.notice("error", HTML.escape(failure.message))
            return Reply.html(
                HTML.page(title: title, active: "/models", body: body),
                status: failure.status == .ok ? status : failure.status)
        }
    }

    /// Metrics, aliases, deployments, lineage and the promote form; `servedBy` is the gateway's
    /// predictor's address when it serves this version's bundle.
    static func overview(_ shown: ModelShowResponse, tokenRequired: Bool, servedBy: String?) -> String {
        let version = shown.version
        let metrics = version.metrics.keys.sorted().map { key in
            "<tr><th>\(HTML.escape(key))</th><td class=\"num\">\(NumberText.fixed(version.metrics[key] ?? 0, 4))</td></tr>"
        }.joined()
        let aliases =
            version.aliases.isEmpty
            ? "<span class=\"muted\">none</span>"
            : version.aliases.map { "<span class=\"badge alias\">\(HTML.escape($0))</span>" }.joined()
        let live = shown.deployments.filter { $0.version == version.version }
        var liveItems = live.map {
            "<span class=\"badge live\">\(HTML.escape($0.instance))</span> <span class=\"muted\">seen \(HTML.escape($0.lastSeen.replacingT()))</span>"
        }
        if let servedBy, live.isEmpty {
            liveItems.append(
                "<span class=\"badge live\">\(HTML.escape(servedBy))</span> <span class=\"muted\">the gateway's predictor serves this bundle</span>"
            )
        }
        let liveText =
            liveItems.isEmpty
            ? "<span class=\"muted\">no predictor reports this version</span>" : liveItems.joined(separator: "<br>")
        let elsewhere = shown.deployments.filter { $0.version != version.version }.map {
            "\(HTML.escape($0.instance)) serves v\($0.version)"
        }
        let promote: String
        if version.aliases.contains("production") {
            promote = "<p class=\"muted\">This version is in production.</p>"
        } else {
            let tokenInput =
                tokenRequired
                ? "<label for=\"token\">Token</label><input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"off\" style=\"max-width:280px\">"
                : ""
            promote = """
                <form method="post" action="/models/\(HTML.pathSegment(version.name))/\(version.version)/promote" id="promote-form">\(tokenInput)\
                <p><button type="submit" id="promote-button">Promote to production</button></p></form>
                """
        }
        return """
            <div class="grid"><section class="card"><h2>Held-out metrics</h2><table id="metrics">\(metrics)</table>
            <p class="muted">threshold \(NumberText.fixed(version.threshold, 3)) · created \(HTML.escape(version.created.replacingT())) · bundle \(HTML.escape(String(version.bundleSHA256.prefix(12))))… (\(version.bundleSize) bytes)</p></section>
            <section class="card"><h2>Aliases and deployments</h2><p>\(aliases)</p><p>\(liveText)</p>\
            \(elsewhere.isEmpty ? "" : "<p class=\"muted\">\(elsewhere.joined(separator: "; "))</p>")\(promote)\
            <p class="muted">dataset \(HTML.escape(String(version.datasetSHA256.prefix(12))))…\(version.description.isEmpty ? "" : " · " + HTML.escape(version.description))</p></section></div>
            """
    }
}
