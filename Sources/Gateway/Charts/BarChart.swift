/// Horizontal bars with a label each, an optional ± whisker and an optional dashed reference line:
/// permutation importance (drop in ROC-AUC ± spread) and lift by decile (reference 1 = average).
struct BarChart: SVGDrawing {
    /// One bar.
    struct Bar {
        /// Text left of the bar.
        var label: String
        /// Length (values below zero are drawn as zero-length bars).
        var value: Double
        /// Half-width of the whisker (nil: none).
        var spread: Double? = nil
        /// Text right of the bar.
        var caption: String
    }

    /// Chart title.
    var title: String
    /// The bars, top to bottom.
    var bars: [Bar]
    /// CSS colour of the bars.
    var color: String
    /// A dashed vertical line at this value, with its label.
    var reference: (value: Double, label: String)? = nil

    /// The `<svg>` element; `id` becomes its element id.
    func render(id: String) -> String {
        let rowHeight = 24.0
        let labelWidth = 150.0
        let barArea = 260.0
        let captionWidth = 110.0
        let top = 34.0
        let width = labelWidth + barArea + captionWidth
        let height = top + rowHeight * Double(max(1, bars.count)) + 10
        let largest = max(1e-12, bars.map { max(0, $0.value) + ($0.spread ?? 0) }.max() ?? 0, reference?.value ?? 0)
        func x(_ value: Double) -> Double { labelWidth + max(0, value) / largest * (barArea - 10) }
        var svg = """
            <svg id="\(HTML.escape(id))" class="chart" xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" role="img" aria-label="\(HTML.escape(title))">
            <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="#fff"/>
            <text x="\(f(width / 2))" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="#243b53">\(HTML.escape(title))</text>
            <line x1="\(f(labelWidth))" y1="\(f(top - 4))" x2="\(f(labelWidth))" y2="\(f(height - 6))" stroke="#9fb3c8"/>
            """
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowHeight
            svg +=
                "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 15))\" text-anchor=\"end\" font-size=\"12\" fill=\"#243b53\">\(HTML.escape(bar.label))</text>"
            svg +=
                "<rect class=\"bar\" x=\"\(f(labelWidth))\" y=\"\(f(y + 3))\" width=\"\(f(max(1, x(bar.value) - labelWidth)))\" height=\"16\" rx=\"3\" fill=\"\(color)\"/>"
            if let spread = bar.spread, spread > 0 {
                let low = x(bar.value - spread)
                let high = x(bar.value + spread)
                let middle = y + 11
                svg +=
                    "<path d=\"M\(f(low)) \(f(middle))H\(f(high))M\(f(low)) \(f(middle - 5))V\(f(middle + 5))M\(f(high)) \(f(middle - 5))V\(f(middle + 5))\" stroke=\"#243b53\" stroke-width=\"1.2\"/>"
            }
            svg +=
                "<text x=\"\(f(labelWidth + barArea + 4))\" y=\"\(f(y + 15))\" font-size=\"12\" fill=\"#334e68\">\(HTML.escape(bar.caption))</text>"
        }
        if let reference {
            let position = x(reference.value)
            svg +=
                "<line x1=\"\(f(position))\" y1=\"\(f(top - 4))\" x2=\"\(f(position))\" y2=\"\(f(height - 6))\" stroke=\"#627d98\" stroke-dasharray=\"4 3\"/>"
            svg +=
                "<text x=\"\(f(position + 3))\" y=\"\(f(top - 8))\" font-size=\"11\" fill=\"#627d98\">\(HTML.escape(reference.label))</text>"
        }
        return svg + "</svg>"
    }
}
