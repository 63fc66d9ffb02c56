import ChurnML

/// What `churn report` puts in its page: the model, the data it was measured on, and the numbers.
public struct ModelReportContent: Sendable {
    /// The model file's name.
    public var modelName: String
    /// SHA-256 of the model file.
    public var modelSHA256: String
    /// The model.
    public var bundle: ModelBundle
    /// The data file's name.
    public var dataName: String
    /// Metrics on the data at the model's threshold (as `churn evaluate`).
    public var metrics: ClassificationMetrics
    /// ROC and PR curves on the data.
    public var curves: EvaluationCurves
    /// Importance, profit, lift, calibration and segments on the data.
    public var insights: ModelInsights
    /// When the report was made (ISO 8601).
    public var generated: String

    /// Assembles the content.
    public init(
        modelName: String, modelSHA256: String, bundle: ModelBundle, dataName: String, metrics: ClassificationMetrics,
        curves: EvaluationCurves, insights: ModelInsights, generated: String
    ) {
        self.modelName = modelName
        self.modelSHA256 = modelSHA256
        self.bundle = bundle
        self.dataName = dataName
        self.metrics = metrics
        self.curves = curves
        self.insights = insights
        self.generated = generated
    }
}

/// One self-contained HTML page (inline CSS and SVG, no scripts, no external assets) about a model
/// on labelled data, for a business reader: the summary in words, the metrics, then the same charts as
/// the gateway's model page (``ModelCharts``, ``InsightCharts``).
public enum ModelReport {
    /// The page.
    public static func html(_ content: ModelReportContent) -> String {
        let evaluation = BundleEvaluation(
            metrics: content.metrics, curves: content.curves, insights: content.insights, bundle: content.bundle)
        let title = "Churn model report: \(content.modelName) on \(content.dataName)"
        let body =
            "<h1>\(HTML.escape(title))</h1><div class=\"grid wide\">" + summary(content) + metricsTable(content.metrics)
            + "</div>"
            + ModelCharts.html(evaluation) + footer(content)
        return HTML.document(
            title: title, header: "<span class=\"brand\">Churn</span><span>model report</span>", body: body)
    }

    /// The findings in sentences.
    static func summary(_ content: ModelReportContent) -> String {
        let metrics = content.metrics
        let insights = content.insights
        let matrix = metrics.confusionMatrix
        var points: [String] = []
        points.append(
            "Of \(insights.rows) customers, \(insights.positives) (\(NumberText.percent(Double(insights.positives) / Double(max(1, insights.rows))))) churned."
        )
        if let auc = metrics.rocAUC {
            points.append(
                "The model ranks a random churner above a random loyal customer \(NumberText.percent(auc)) of the time (ROC-AUC \(NumberText.fixed(auc, 3)))."
            )
        }
        points.append(
            "At its threshold of \(NumberText.fixed(metrics.threshold, 3)) it flags \(matrix.tp + matrix.fp) customers, of whom \(matrix.tp) churned; it catches \(NumberText.percent(metrics.recall)) of the churners, and \(NumberText.percent(metrics.precision)) of its flags are right."
        )
        if let top = insights.lift.deciles.first {
            points.append(
                "Its riskiest 10 % hold \(NumberText.percent(insights.lift.topDecileCapture)) of all churners (lift \(NumberText.fixed(top.lift, 1))×)."
            )
        }
        if let importance = insights.importance, importance.columns.count >= 3 {
            let names = importance.columns.prefix(3).map { HTML.escape($0.column) }
            points.append("What drives its predictions most: \(names[0]), then \(names[1]) and \(names[2]).")
        }
        let best = insights.profit.best
        if best.targeted > 0 {
            points.append(
                "With an offer costing \(NumberText.format(insights.profit.economics.offerCost)) and a kept customer worth \(NumberText.format(insights.profit.economics.customerValue)), the best campaign targets \(best.targeted) customers (probability ≥ \(NumberText.fixed(best.threshold, 3))) and earns about \(NumberText.format(best.profit.rounded()))."
            )
        }
        return "<section class=\"card\" id=\"summary\"><h2>In short</h2><ul>" + points.map { "<li>\($0)</li>" }.joined()
            + "</ul></section>"
    }

    /// The metrics as `churn evaluate` prints them.
    static func metricsTable(_ metrics: ClassificationMetrics) -> String {
        let rows: [(name: String, value: Double?)] = metrics.namedValues + [("threshold", metrics.threshold)]
        let cells = rows.map { name, value in
            "<tr><th>\(name)</th><td class=\"num\" data-metric=\"\(name)\">\(value.map { NumberText.fixed($0, 4) } ?? "n/a")</td></tr>"
        }.joined()
        return
            "<section class=\"card\"><h2>Metrics on \(metrics.rows) customers</h2><table id=\"metrics\">\(cells)</table></section>"
    }

    /// Provenance.
    static func footer(_ content: ModelReportContent) -> String {
        let lineage = content.bundle.lineage
        return """
            <p class="muted" id="provenance">Model \(HTML.escape(content.modelName)) (sha256 \(HTML.escape(String(content.modelSHA256.prefix(12))))…), \
            trained \(HTML.escape(lineage.created)) on \(HTML.escape(lineage.datasetSource)) (\(lineage.datasetRows) rows) by churn \
            \(HTML.escape(lineage.toolVersion)); measured on \(HTML.escape(content.dataName)); report made \(HTML.escape(content.generated)).</p>
            """
    }
}
