/// The evaluation charts of a model version, from its bundle: confusion matrix, ROC curve,
/// precision–recall curve, calibration and loss per epoch, then the retention insights
/// (``InsightCharts``) when the bundle has them.
enum ModelCharts {
    /// The charts in a grid of cards; a chart without data says so instead.
    static func html(_ evaluation: BundleEvaluation) -> String {
        var cards: [String] = []
        if let confusion = evaluation.confusion {
            cards.append(ConfusionMatrixChart(matrix: confusion).render() + confusionWords(confusion))
        }
        if evaluation.roc.count >= 2 {
            let auc = evaluation.metrics["roc_auc"].map { " (AUC \(NumberText.fixed($0, 3)))" } ?? ""
            cards.append(
                LineChart(
                    title: "ROC curve\(auc)", xLabel: "false-positive rate", yLabel: "true-positive rate",
                    xRange: 0...1, yRange: 0...1,
                    series: [
                        .init(name: "model", color: "#2f6fde", points: evaluation.roc.map { ($0.x, $0.y) }),
                        .init(name: "chance", color: "#9fb3c8", points: [(0, 0), (1, 1)], dashed: true),
                    ], legendAtBottom: true
                ).render(id: "roc-chart")
                    + "<p class=\"muted\">How many churners are caught (up) for how many loyal customers flagged by mistake (right), over all thresholds.</p>"
            )
        } else {
            cards.append("<p class=\"muted\">No ROC curve in this bundle.</p>")
        }
        if evaluation.precisionRecall.count >= 2 {
            let positives = evaluation.confusion.map {
                Double($0.tp + $0.fn) / Double(max(1, $0.tp + $0.fn + $0.fp + $0.tn))
            }
            var series: [LineChart.Series] = [
                .init(name: "model", color: "#8e24aa", points: evaluation.precisionRecall.map { ($0.x, $0.y) })
            ]
            if let positives {
                series.append(
                    .init(name: "base rate", color: "#9fb3c8", points: [(0, positives), (1, positives)], dashed: true))
            }
            let ap = evaluation.metrics["pr_auc"].map { " (AP \(NumberText.fixed($0, 3)))" } ?? ""
            cards.append(
                LineChart(
                    title: "Precision–recall\(ap)", xLabel: "recall (churners caught)",
                    yLabel: "precision (flags that are right)",
                    xRange: 0...1, yRange: 0...1, series: series
                ).render(id: "pr-chart"))
        }
        if !evaluation.calibration.isEmpty {
            let largest = Double(evaluation.calibration.map(\.rows).max() ?? 1)
            cards.append(
                LineChart(
                    title: "Calibration", xLabel: "predicted churn probability", yLabel: "observed churn rate",
                    xRange: 0...1, yRange: 0...1,
                    series: [
                        .init(name: "perfect", color: "#9fb3c8", points: [(0, 0), (1, 1)], dashed: true),
                        .init(
                            name: "model", color: "#ef6c00",
                            points: evaluation.calibration.map { (($0.lower + $0.upper) / 2, $0.observed) }),
                        .init(
                            name: "", color: "#ef6c00",
                            points: evaluation.calibration.map { (($0.lower + $0.upper) / 2, $0.observed) },
                            markerRadii: evaluation.calibration.map {
                                2.5 + 6 * (Double($0.rows) / largest).squareRoot()
                            }),
                    ], legendAtBottom: true
                ).render(id: "calibration-chart")
                    + "<p class=\"muted\">Customers grouped by predicted probability (dot size: how many); on the dashed line the predictions are honest.\(evaluation.insights.map { " Expected calibration error \(NumberText.fixed($0.calibration.expectedCalibrationError, 3))." } ?? " Derived from the ROC curve and the class counts.")</p>"
            )
        }
        if !evaluation.loss.isEmpty { cards.append(lossChart(evaluation)) }
        var html =
            "<h2>Evaluation</h2><div class=\"grid\" id=\"charts\">"
            + cards.map { "<section class=\"card\">\($0)</section>" }.joined() + "</div>"
        if let insights = evaluation.insights {
            let insightCards = InsightCharts.cards(
                insights, thresholds: evaluation.thresholds, threshold: evaluation.threshold)
            html +=
                "<h2>Retention insights <span class=\"muted\">(\(insights.rows) \(HTML.escape(insights.source)))</span></h2><div class=\"grid wide\" id=\"insights\">"
                + insightCards.map { "<section class=\"card\">\($0)</section>" }.joined() + "</div>"
                + InsightCharts.segmentsSection(insights.segments)
        }
        return html
    }

    /// Training (and validation) loss per epoch.
    static func lossChart(_ evaluation: BundleEvaluation) -> String {
        var series: [LineChart.Series] = [
            .init(
                name: "training", color: "#2f6fde",
                points: evaluation.loss.enumerated().map { (Double($0.offset + 1), $0.element) })
        ]
        if !evaluation.validationLoss.isEmpty {
            series.append(
                .init(
                    name: "validation", color: "#ef6c00",
                    points: evaluation.validationLoss.enumerated().map { (Double($0.offset + 1), $0.element) }))
        }
        let all = evaluation.loss + evaluation.validationLoss
        let high = (all.max() ?? 1) * 1.05
        let low = max(0, (all.min() ?? 0) * 0.95)
        return LineChart(
            title: "Loss per epoch", xLabel: "epoch", yLabel: "binary cross-entropy",
            xRange: 1...Double(max(2, evaluation.loss.count)), yRange: low...max(high, low + 1e-6), series: series
        ).render(id: "loss-chart")
    }

    /// The confusion matrix in words.
    static func confusionWords(_ matrix: BundleEvaluation.Confusion) -> String {
        let churners = matrix.tp + matrix.fn
        let flagged = matrix.tp + matrix.fp
        let caught = churners > 0 ? NumberText.percent(Double(matrix.tp) / Double(churners)) : "–"
        let right = flagged > 0 ? NumberText.percent(Double(matrix.tp) / Double(flagged)) : "–"
        return
            "<p class=\"muted\">Of \(churners) customers who churned, \(matrix.tp) were flagged (\(caught)). Of \(flagged) flagged, \(right) really churned.</p>"
    }
}
