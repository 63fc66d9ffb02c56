import ChurnML

/// The retention insights of a model as cards: what drives churn (permutation importance), how well
/// the model concentrates churners (lift and cumulative gains), what a campaign would earn at each
/// threshold (profit curve), and churn by segment. Shared by the model page and `churn report`.
enum InsightCharts {
    /// Every card of `insights`; `thresholds` marks the model's F1 and profit thresholds.
    static func cards(_ insights: ModelInsights, thresholds: DecisionThresholds?, threshold: Double?) -> [String] {
        var cards: [String] = []
        if let importance = insights.importance { cards.append(importanceCard(importance)) }
        cards.append(liftCard(insights.lift))
        cards.append(gainsCard(insights.lift))
        cards.append(profitCard(insights.profit, thresholds: thresholds, threshold: threshold))
        return cards
    }

    /// Permutation importance as bars with ± spread.
    static func importanceCard(_ importance: PermutationImportance) -> String {
        let bars = importance.columns.map {
            BarChart.Bar(
                label: $0.column, value: $0.mean, spread: $0.spread,
                caption: NumberText.fixed($0.mean, 3) + " ± " + NumberText.fixed($0.spread, 3))
        }
        let chart = BarChart(title: "What drives the predictions", bars: bars, color: "#2f6fde").render(
            id: "importance-chart")
        let top = importance.columns.prefix(3).map { HTML.escape($0.column) }.joined(separator: ", ")
        return chart + """
            <p class="muted">Drop in ROC-AUC (baseline \(NumberText.fixed(importance.baselineAUC, 3))) when a column's values are \
            shuffled across \(importance.rows) customers, mean ± spread of \(importance.repeats) shuffles. \
            The model leans most on \(top); a column near 0 could be dropped without loss.</p>
            """
    }

    /// Lift per decile as bars against the average (1).
    static func liftCard(_ lift: LiftTable) -> String {
        let bars = lift.deciles.map {
            BarChart.Bar(
                label: "decile \($0.decile)", value: $0.lift,
                caption: NumberText.fixed($0.lift, 2) + "× · " + NumberText.percent($0.churnRate))
        }
        let chart = BarChart(
            title: "Lift by decile (riskiest first)", bars: bars, color: "#ef6c00", reference: (1, "average")
        )
        .render(id: "lift-chart")
        let top = lift.deciles.first
        let words =
            top.map {
                "The riskiest 10 % churn \(NumberText.fixed($0.lift, 1)) times as often as the average customer (\(NumberText.percent($0.churnRate)) against \(NumberText.percent(lift.overallChurnRate)))."
            } ?? ""
        return chart + "<p class=\"muted\">\(words)</p>"
    }

    /// Cumulative gains: share of churners reached against share of customers contacted.
    static func gainsCard(_ lift: LiftTable) -> String {
        let points = [(0.0, 0.0)] + lift.deciles.map { ($0.cumulativeShare, $0.cumulativeGain) }
        let rate = lift.overallChurnRate
        let chart = LineChart(
            title: "Cumulative gains", xLabel: "share of customers contacted (riskiest first)",
            yLabel: "share of churners reached",
            xRange: 0...1, yRange: 0...1,
            series: [
                .init(name: "model", color: "#2f6fde", points: points),
                .init(name: "random", color: "#9fb3c8", points: [(0, 0), (1, 1)], dashed: true),
                .init(
                    name: "perfect", color: "#2e7d32", points: rate > 0 ? [(0, 0), (min(1, rate), 1), (1, 1)] : [],
                    dashed: true),
            ], legendAtBottom: true
        ).render(id: "gains-chart")
        let rows = lift.deciles.map { decile in
            "<tr><td>\(decile.decile)</td><td class=\"num\">\(decile.rows)</td><td class=\"num\">\(decile.churners)</td><td class=\"num\">\(NumberText.percent(decile.churnRate))</td><td class=\"num\">\(NumberText.fixed(decile.lift, 2))</td><td class=\"num\">\(NumberText.percent(decile.cumulativeGain))</td></tr>"
        }.joined()
        return chart + """
            <p class="muted">Calling the riskiest 10 % reaches \(NumberText.percent(lift.topDecileCapture)) of all churners; \
            the riskiest 30 % reach \(NumberText.percent(lift.deciles.count >= 3 ? lift.deciles[2].cumulativeGain : 1)).</p>
            <table id="lift-table"><tr><th>decile</th><th class="num">customers</th><th class="num">churners</th><th class="num">churn rate</th><th class="num">lift</th><th class="num">churners reached</th></tr>\(rows)</table>
            """
    }

    /// Expected campaign profit per threshold, the best point and the model's thresholds.
    static func profitCard(_ profit: ProfitCurve, thresholds: DecisionThresholds?, threshold: Double?) -> String {
        let points = profit.points.filter { $0.threshold <= 1 }.map { ($0.threshold, $0.profit) }
        let values = profit.points.map(\.profit)
        let low = min(0, values.min() ?? 0)
        let high = max(1, values.max() ?? 1)
        let margin = (high - low) * 0.05
        var series: [LineChart.Series] = [
            .init(name: "profit", color: "#2e7d32", points: points),
            .init(name: "break-even", color: "#9fb3c8", points: [(0, 0), (1, 0)], dashed: true),
            .init(
                name: "", color: "#2e7d32", points: [(min(1, profit.best.threshold), profit.best.profit)],
                markerRadii: [6]),
        ]
        if let threshold {
            series.append(
                .init(
                    name: "model threshold", color: "#c62828", points: [(threshold, low), (threshold, high)],
                    dashed: true))
        }
        let chart = LineChart(
            title: "Campaign profit by threshold", xLabel: "threshold (target customers scoring at least this)",
            yLabel: "expected profit",
            xRange: 0...1, yRange: (low - margin)...(high + margin), series: series
        ).render(id: "profit-chart")
        let economics = profit.economics
        let best = profit.best
        var words =
            best.targeted == 0
            ? "Under these assumptions no threshold makes money: an offer costs more than the churners it keeps are worth."
            : "Best: target the \(best.targeted) customers scoring at least \(NumberText.fixed(best.threshold, 3)); \(best.churners) of them churn, and the campaign earns about \(NumberText.format(best.profit.rounded())) on these \(profit.rows) customers."
        if let thresholds {
            words +=
                " The model keeps an F1 threshold of \(NumberText.fixed(thresholds.f1, 3)) and a profit threshold of \(NumberText.fixed(thresholds.profit, 3)) (chosen on \(thresholds.selectionRows) \(HTML.escape(thresholds.selectedOn)) rows; policy \(HTML.escape(thresholds.policy.description)))."
        }
        return chart + """
            <p class="muted">Assumptions: an offer costs \(NumberText.format(economics.offerCost)), a kept customer is worth \
            \(NumberText.format(economics.customerValue)), and the offer keeps \(NumberText.percent(economics.saveRate)) of the churners who get it \
            (break-even at a churn probability of \(NumberText.percent(economics.breakEvenProbability))).</p><p>\(words)</p>
            """
    }

    /// One table per column: customers, churn rate (with a bar) and mean predicted probability per segment.
    static func segmentsSection(_ segments: SegmentTable) -> String {
        guard !segments.groups.isEmpty else { return "" }
        let largest = max(1e-9, segments.groups.flatMap { $0.segments.map(\.churnRate) }.max() ?? 0)
        let tables = segments.groups.map { group in
            let rows = group.segments.map { segment in
                let width = Int((segment.churnRate / largest * 120).rounded())
                return
                    "<tr><td>\(HTML.escape(segment.label))</td><td class=\"num\">\(segment.rows)</td><td class=\"num\">\(NumberText.percent(segment.churnRate))</td><td><span class=\"bar\" style=\"width:\(width)px;background:#ef6c00\"></span></td><td class=\"num\">\(NumberText.percent(segment.meanProbability))</td></tr>"
            }.joined()
            return """
                <section class="card"><h3>\(HTML.escape(group.column))</h3><table class="segments"><tr><th>segment</th><th class="num">customers</th>\
                <th class="num">churned</th><th></th><th class="num">predicted</th></tr>\(rows)</table></section>
                """
        }.joined()
        return
            "<h2>Churn by segment</h2><p class=\"muted\">Observed churn rate and mean predicted probability per group of customers; numeric columns in five ranges (each range includes its upper end).</p><div class=\"grid wide\" id=\"segments\">\(tables)</div>"
    }
}
