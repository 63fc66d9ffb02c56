import ChurnML

/// A scored file ranked by churn probability, as an HTML summary and table and as CSV.
struct BatchRanking {
    /// The uploaded rows, as ChurnML's reader read them.
    let table: Table
    /// Their scores.
    let scored: Scored
    /// Row indices, highest probability first (ties in file order).
    let order: [Int]
    /// Columns shown to identify a customer: up to three that the model does not use.
    let identifiers: [Int]

    /// Ranks `table` by `scored`; `modelColumns` are the columns the model uses (the others may identify customers).
    init(table: Table, scored: Scored, modelColumns: Set<String>) {
        self.table = table
        self.scored = scored
        let probabilities = scored.probabilities
        order = probabilities.indices.sorted {
            probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1
        }
        identifiers = Array(
            table.columnNames.indices.filter { !modelColumns.contains(table.columnNames[$0]) }.prefix(3))
    }

    /// The ranking as CSV: rank, line, the file's columns (numbers as ``ColumnData/format(_:)`` writes
    /// them, missing values empty), probability, label, risk, top factors.
    func csv() -> [UInt8] {
        var text =
            (["rank", "line"] + table.columnNames + ["churn_probability", "churn_label", "risk", "top_factors"])
            .map(CSVField.quote).joined(separator: ",") + "\r\n"
        for (rank, row) in order.enumerated() {
            let probability = scored.probabilities[row]
            let band = RiskBand(probability: Double(probability), threshold: scored.threshold)
            let values = table.columns.indices.map { table.displayValue(row: row, column: $0) }
            let fields =
                ["\(rank + 1)", "\(table.lineNumbers[row])"] + values
                + ["\(probability)", scored.labels[row] ? "1" : "0", band.rawValue, FactorWords.short(factors(row))]
            text += fields.map(CSVField.quote).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    /// The summary, the histogram, the download link and the first `shown` rows.
    func html(downloadPath: String, shown: Int) -> String {
        let churners = scored.labels.filter { $0 }.count
        var bands: [RiskBand: Int] = [:]
        for probability in scored.probabilities {
            bands[RiskBand(probability: Double(probability), threshold: scored.threshold), default: 0] += 1
        }
        let bandText = RiskBand.allCases.map { band in
            "<span class=\"badge\" style=\"background:\(band.color)\">\(band.rawValue): \(bands[band, default: 0])</span>"
        }.joined(separator: " ")
        var html = """
            <section class="card" id="summary"><div class="result">
            \(HistogramChart(probabilities: scored.probabilities, threshold: scored.threshold).render())
            <div><div class="big" id="churners">\(churners) of \(scored.probabilities.count)</div><div>customers likely to churn</div>
            <p>\(bandText)</p>
            <p class="muted">model \(HTML.escape(scored.model)) version \(HTML.escape(scored.version))</p>
            <p><a class="button" id="download" href="\(downloadPath)" download>Download ranking (CSV)</a></p></div></div></section>
            """
        if !scored.warnings.isEmpty {
            let items = scored.warnings.prefix(20).map {
                "<li>line \(Int($0.row) < table.lineNumbers.count ? table.lineNumbers[Int($0.row)] : 0), \(HTML.escape($0.column)): \"\(HTML.escape($0.value))\" \(HTML.escape($0.message))</li>"
            }
            html += HTML.notice(
                "info",
                "\(scored.warnings.count) value\(scored.warnings.count == 1 ? " was" : "s were") not seen in training:<ul>\(items.joined())</ul>"
            )
        }
        let headers = identifiers.map { "<th>\(HTML.escape(table.columnNames[$0]))</th>" }.joined()
        html += "<section class=\"card\"><h2>Ranked by churn risk</h2>"
        if order.count > shown {
            html += "<p class=\"muted\">The \(shown) riskiest of \(order.count) customers; the download has all.</p>"
        }
        html +=
            "<table id=\"ranking\"><thead><tr><th class=\"num\">#</th><th class=\"num\">line</th>\(headers)<th>churn probability</th><th>risk</th><th>top factors</th></tr></thead><tbody>"
        for (rank, row) in order.prefix(shown).enumerated() {
            let probability = Double(scored.probabilities[row])
            let band = RiskBand(probability: probability, threshold: scored.threshold)
            let cells = identifiers.map { "<td>\(HTML.escape(table.displayValue(row: row, column: $0)))</td>" }.joined()
            let factorText = factors(row).map { factor in
                "<span class=\"\(factor.contribution >= 0 ? "up" : "down")\">\(factor.contribution >= 0 ? "▲" : "▼") \(HTML.escape(factor.column))</span>"
            }.joined(separator: " ")
            html += """
                <tr><td class="num">\(rank + 1)</td><td class="num">\(table.lineNumbers[row])</td>\(cells)\
                <td><span class="bar" style="width:\(NumberText.fixed(probability * 100, 0))px;background:\(band.color)"></span> \(NumberText.fixed(probability * 100, 1))%</td>\
                <td>\(band.rawValue)</td><td>\(factorText)</td></tr>
                """
        }
        return html + "</tbody></table></section>"
    }

    private func factors(_ row: Int) -> [Scored.Factor] {
        row < scored.factors.count ? scored.factors[row] : []
    }
}
