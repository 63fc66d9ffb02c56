import Hummingbird
import Wire

/// The Monitoring tab of a model version (`GET /models/{name}/{version}/monitoring`): how far the
/// customers the gateway's predictor scores moved from the ones the version was trained on — the
/// population stability index of each input column and of the score over the predictor's window
/// (wire.md §13.5, `docs/monitoring.md`) — as a server-rendered SVG bar chart and a table, without
/// JavaScript.
struct ModelMonitoringPage: Sendable {
    /// The roles.
    let backends: GatewayBackends

    /// `GET /models/{name}/{version}/monitoring`.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let version = try context.parameters.require("version")
        let title = "\(name) v\(version)"
        let content: String
        var role = "registry"
        do {
            let shown = try await backends.withRegistry { try await $0.model("\(name)@\(version)") }
            role = "predictor"
            let (served, drift) = try await backends.withPredictor { predictor in
                (try await predictor.modelInfo(), try await predictor.drift())
            }
            if served.sha256 == shown.version.bundleSHA256 {
                content = Self.report(drift)
            } else {
                content = HTML.notice(
                    "info",
                    "The gateway's predictor serves <b>\(HTML.escape(served.model)) \(HTML.escape(served.version))</b>, another bundle than this version's: drift is watched where a version is served."
                )
            }
        } catch {
            let failure = GatewayError.from(error, role: role)
            content = HTML.notice(failure.status == .notFound ? "info" : "error", HTML.escape(failure.message))
        }
        let body =
            "<h1>\(HTML.escape(title))</h1>" + Self.tabs(name: name, version: version, active: "monitoring") + content
        return Reply.html(HTML.page(title: "\(title) monitoring", active: "/models", body: body))
    }

    /// The Overview | Monitoring links of a version's pages.
    static func tabs(name: String, version: String, active: String) -> String {
        let base = "/models/\(HTML.pathSegment(name))/\(HTML.pathSegment(version))"
        let tabs = [("overview", "Overview", base), ("monitoring", "Monitoring", base + "/monitoring")]
        return "<nav class=\"tabs\" aria-label=\"version pages\">"
            + tabs.map { key, label, path in
                key == active
                    ? "<a class=\"active\" aria-current=\"page\" href=\"\(path)\">\(label)</a>"
                    : "<a href=\"\(path)\">\(label)</a>"
            }.joined() + "</nav>"
    }

    /// The summary, the chart (columns worst first, then the score) and the table.
    static func report(_ drift: PredictorDriftResponse) -> String {
        let entries = drift.columnsWorstFirst + [drift.score]
        var summary = "\(drift.rows) rows in the predictor's window"
        if drift.rows < drift.minimumRows {
            summary += " — fewer than \(drift.minimumRows), too few to judge"
        } else if let worst = entries.max(by: { ($0.psi ?? 0) < ($1.psi ?? 0) }), let psi = worst.psi {
            summary +=
                " · largest: <b>\(HTML.escape(worst.name))</b> \(NumberText.fixed(psi, 3)) (\(worst.level.name))"
        }
        let chart = BarChart(
            title: "Population stability index by column",
            bars: entries.map { entry in
                BarChart.Bar(
                    label: entry.name, value: entry.psi ?? 0,
                    caption: entry.psi.map { "\(NumberText.fixed($0, 3)) \(entry.level.name)" } ?? "no rows")
            },
            color: "#2f6fde", reference: (value: 0.25, label: "alert 0.25"))
        let rows = entries.map { entry in
            "<tr class=\"drift-\(entry.level.name)\"><th>\(HTML.escape(entry.name))</th><td class=\"num\">\(entry.psi.map { NumberText.fixed($0, 3) } ?? "–")</td><td>\(entry.level.name)</td></tr>"
        }.joined()
        return """
            <section class="card" id="monitoring"><h2>Drift of live inputs</h2>
            <p id="drift-summary">\(summary)</p>
            \(chart.render(id: "drift-chart"))
            <table id="drift-table"><tr><th>Column</th><th class="num">PSI</th><th>Level</th></tr>\(rows)</table>
            <p class="muted">The population stability index compares the rows this predictor answered last (up to \
            10,000) with the version's training rows, column by column and for the churn probability: below 0.1 \
            stable, 0.1 to 0.25 a warning, 0.25 or more an alert.</p></section>
            """
    }
}
