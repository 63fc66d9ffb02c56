/// The factors of one prediction as horizontal bars around zero: right (red) for columns that
/// raise the churn probability, left (green) for those that lower it.
struct FactorChart: SVGDrawing {
    /// Factors, largest first.
    var factors: [Scored.Factor]

    /// The `<svg>` element with id `factors-chart`.
    func render() -> String {
        let rowHeight = 26.0
        let labelWidth = 150.0
        let barArea = 300.0
        let width = labelWidth + barArea + 80
        let height = 16 + rowHeight * Double(max(1, factors.count))
        let largest = max(1e-9, factors.map { abs($0.contribution) }.max() ?? 0)
        let zero = labelWidth + barArea / 2
        var svg = """
            <svg id="factors-chart" class="chart" xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" role="img" aria-label="factors">
            <line x1="\(f(zero))" y1="4" x2="\(f(zero))" y2="\(f(height - 4))" stroke="#9fb3c8"/>
            """
        for (index, factor) in factors.enumerated() {
            let y = 8 + Double(index) * rowHeight
            let length = abs(factor.contribution) / largest * (barArea / 2 - 6)
            let up = factor.contribution >= 0
            let x = up ? zero : zero - length
            svg +=
                "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 14))\" text-anchor=\"end\" font-size=\"12\" fill=\"#243b53\">\(HTML.escape(factor.column))</text>"
            svg +=
                "<rect x=\"\(f(x))\" y=\"\(f(y + 3))\" width=\"\(f(max(1, length)))\" height=\"16\" rx=\"3\" fill=\"\(up ? "#c62828" : "#2e7d32")\"/>"
            let points = (up ? "+" : "−") + NumberText.fixed(abs(factor.contribution) * 100, 1) + " pts"
            svg +=
                "<text x=\"\(f(labelWidth + barArea + 8))\" y=\"\(f(y + 15))\" font-size=\"12\" font-weight=\"600\" fill=\"\(up ? "#c62828" : "#2e7d32")\">\(points)</text>"
        }
        return svg + "</svg>"
    }
}
