import Hummingbird
import Wire

/// The models page (`GET /models`): every model name with its versions, held-out metrics,
/// aliases and where each version is live, plus the metric across versions as a chart.
struct ModelsPage: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// Scoring (for the version the predictor serves).
    let service: PredictionService

    /// Metrics shown in the table, in order.
    static let metrics = [("roc_auc", "ROC AUC"), ("pr_auc", "PR AUC"), ("accuracy", "accuracy"), ("f1", "F1")]

    /// `GET /models`.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        var body = "<h1>Models</h1>"
        do {
            let names = try await backends.withRegistry { try await $0.call(ModelListRequest()) }.models ?? []
            let served = try? await service.schema()
            if names.isEmpty {
                body += HTML.notice(
                    "info",
                    "No model has been published yet. Train one (churn train … then churn models publish, or the trainer)."
                )
            }
            for summary in names {
                let versions =
                    try await backends.withRegistry { try await $0.call(ModelListRequest(name: summary.name)) }.versions
                    ?? []
                let deployments =
                    (try? await backends.withRegistry { try await $0.call(DeploymentsRequest(name: summary.name)) }
                        .items) ?? []
                body += Self.section(
                    summary.name, versions: versions, deployments: deployments, served: served,
                    predictor: backends.predictor.address.description)
            }
        } catch {
            let failure = GatewayError.from(error, role: "registry")
            body += HTML.notice("error", "The registry cannot be read: \(HTML.escape(failure.message))")
            return Reply.html(HTML.page(title: "Models", active: "/models", body: body), status: failure.status)
        }
        return Reply.html(HTML.page(title: "Models", active: "/models", body: body))
    }

    /// One model name: the metric chart and the table of versions, newest first.
    /// `served` is what the gateway's predictor (at `predictor`) serves: a version whose bundle it is counts as live there.
    static func section(
        _ name: String, versions: [ModelVersion], deployments: [Deployment], served: ModelInfoResponse?,
        predictor: String
    ) -> String {
        let link = "/models/\(HTML.pathSegment(name))"
        var html = "<section class=\"card model\" id=\"model-\(HTML.pathSegment(name))\"><h2>\(HTML.escape(name))</h2>"
        if versions.count > 1 {
            let points = versions.compactMap { version in
                version.metrics["roc_auc"].map { (x: Double(version.version), y: $0) }
            }
            if points.count > 1 {
                let low = max(0, (points.map(\.y).min() ?? 0) - 0.05)
                let high = min(1, (points.map(\.y).max() ?? 1) + 0.05)
                html += LineChart(
                    title: "ROC AUC by version", xLabel: "version", yLabel: "ROC AUC",
                    xRange: (points.first?.x ?? 1)...(points.last?.x ?? 2), yRange: low...max(high, low + 0.01),
                    series: [
                        .init(name: "", color: "#2f6fde", points: points),
                        .init(name: "", color: "#2f6fde", points: points, markerRadii: points.map { _ in 3.5 }),
                    ],
                    width: 420, height: 220
                ).render(id: "auc-\(HTML.pathSegment(name))")
            }
        }
        let metricHeaders = metrics.map { "<th class=\"num\">\($0.1)</th>" }.joined()
        html +=
            "<table class=\"versions\"><thead><tr><th>version</th><th>created</th>\(metricHeaders)<th>aliases</th><th>live on</th></tr></thead><tbody>"
        for version in versions.reversed() {
            let cells = metrics.map { key, _ in
                guard let value = version.metrics[key] else { return "<td class=\"num\">–</td>" }
                let bar =
                    "<span class=\"bar\" style=\"width:\(NumberText.fixed(min(max(value, 0), 1) * 50, 0))px;background:#9fb3c8\"></span> "
                return "<td class=\"num\">\(bar)\(NumberText.fixed(value, 4))</td>"
            }.joined()
            let aliases = version.aliases.map { "<span class=\"badge alias\">\(HTML.escape($0))</span>" }.joined()
            var live = deployments.filter { $0.version == version.version }.map {
                "<span class=\"badge live\" title=\"last report \(HTML.escape($0.lastSeen))\">\(HTML.escape($0.instance))</span>"
            }
            if let served, served.sha256 == version.bundleSHA256, live.isEmpty {
                live.append(
                    "<span class=\"badge live\" title=\"the gateway's predictor serves this bundle\">\(HTML.escape(predictor))</span>"
                )
            }
            html += """
                <tr><td><a href="\(link)/\(version.version)">\(HTML.escape(name)) v\(version.version)</a></td>\
                <td>\(HTML.escape(String(version.created.prefix(16)).replacingT()))</td>\(cells)<td>\(aliases)</td><td>\(live.joined())</td></tr>
                """
        }
        return html + "</tbody></table></section>"
    }
}

extension String {
    /// `2026-11-25T14:03` → `2026-11-25 14:03`.
    func replacingT() -> String { String(map { $0 == "T" ? " " : $0 }) }
}
