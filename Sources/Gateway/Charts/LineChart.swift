/// A server-rendered SVG line chart with axes, grid, ticks, axis labels and a legend; used for the
/// ROC, precision–recall, calibration and loss curves.
struct LineChart: SVGDrawing {
    /// One line (or set of markers).
    struct Series {
        /// Legend text.
        var name: String
        /// CSS colour.
        var color: String
        /// Data points, in drawing order.
        var points: [(x: Double, y: Double)]
        /// Dashed reference line.
        var dashed = false
        /// Marker radius per point (nil: a plain line). Markers are drawn instead of a line.
        var markerRadii: [Double]? = nil
    }

    /// Chart title.
    var title: String
    /// x-axis label.
    var xLabel: String
    /// y-axis label.
    var yLabel: String
    /// Shown x range.
    var xRange: ClosedRange<Double>
    /// Shown y range.
    var yRange: ClosedRange<Double>
    /// The lines.
    var series: [Series]
    /// Where the legend goes inside the plot (where the lines are not).
    var legendAtBottom = false
    /// Pixel size.
    var width = 380.0
    /// Pixel size.
    var height = 320.0

    private let left = 52.0, right = 14.0, top = 34.0, bottom = 46.0

    /// The `<svg>` element; `id` becomes its element id.
    func render(id: String) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / span(xRange) * plotWidth }
        func py(_ y: Double) -> Double { top + plotHeight - (y - yRange.lowerBound) / span(yRange) * plotHeight }
        var svg = """
            <svg id="\(HTML.escape(id))" class="chart" xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" role="img" aria-label="\(HTML.escape(title))">
            <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="#fff"/>
            <text x="\(f(width / 2))" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="#243b53">\(HTML.escape(title))</text>
            """
        for tick in Self.ticks(xRange) {
            let x = px(tick)
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotHeight))\" stroke=\"#e4e7eb\"/>"
            svg +=
                "<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 15))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#627d98\">\(Self.label(tick))</text>"
        }
        for tick in Self.ticks(yRange) {
            let y = py(tick)
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#e4e7eb\"/>"
            svg +=
                "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#627d98\">\(Self.label(tick))</text>"
        }
        svg +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#9fb3c8\"/>"
        svg +=
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" font-size=\"12\" fill=\"#334e68\">\(HTML.escape(xLabel))</text>"
        svg +=
            "<text transform=\"translate(14 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#334e68\">\(HTML.escape(yLabel))</text>"
        for item in series {
            let clamped = item.points.filter { $0.x.isFinite && $0.y.isFinite }.map {
                (
                    x: min(max($0.x, xRange.lowerBound), xRange.upperBound),
                    y: min(max($0.y, yRange.lowerBound), yRange.upperBound)
                )
            }
            if let radii = item.markerRadii {
                for (index, point) in clamped.enumerated() {
                    let radius = index < radii.count ? radii[index] : 3
                    svg +=
                        "<circle class=\"marker\" cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"\(f(radius))\" fill=\"\(item.color)\" fill-opacity=\"0.75\"/>"
                }
            } else if !clamped.isEmpty {
                let path = clamped.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                svg +=
                    "<polyline class=\"series\" points=\"\(path)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"\(item.dashed ? 1.2 : 2.2)\"\(item.dashed ? " stroke-dasharray=\"5 4\"" : "")/>"
            }
        }
        let named = series.filter { !$0.name.isEmpty }
        var legendY = legendAtBottom ? top + plotHeight - 6 - 15 * Double(max(0, named.count - 1)) : top + 12
        for item in named {
            let x = left + plotWidth - 130
            svg += "<rect x=\"\(f(x))\" y=\"\(f(legendY - 8))\" width=\"12\" height=\"3\" fill=\"\(item.color)\"/>"
            svg +=
                "<text x=\"\(f(x + 17))\" y=\"\(f(legendY - 3))\" font-size=\"11\" fill=\"#334e68\">\(HTML.escape(item.name))</text>"
            legendY += 15
        }
        return svg + "</svg>"
    }

    /// Tick positions at 1, 2 or 5 × 10^k steps, about five of them (computed as integer ÷ 10^n
    /// so that 0.6 is 0.6, not 0.6000000000000001).
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let width = span(range)
        guard width.isFinite, width > 0, range.lowerBound.isFinite, range.upperBound.isFinite else { return [] }
        let raw = width / 5
        var exponent = 0
        while pow10(exponent + 1) <= raw, exponent < 300 { exponent += 1 }
        while pow10(exponent) > raw, exponent > -300 { exponent -= 1 }
        let multiplier = [1, 2, 5, 10].first { Double($0) * pow10(exponent) >= raw } ?? 10
        func value(_ index: Double) -> Double {
            exponent < 0 ? index * Double(multiplier) / pow10(-exponent) : index * Double(multiplier) * pow10(exponent)
        }
        let step = value(1)
        var index = (range.lowerBound / step).rounded(.up)
        var ticks: [Double] = []
        while value(index) <= range.upperBound + step * 1e-9, ticks.count < 50 {
            ticks.append(value(index) == 0 ? 0 : value(index))
            index += 1
        }
        return ticks
    }

    /// 10^exponent.
    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }

    /// A tick label: up to three significant decimals, no trailing zeros.
    static func label(_ value: Double) -> String {
        var text = NumberText.fixed(value, abs(value) >= 100 ? 0 : abs(value) >= 1 ? 2 : 3)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// The range's width (1 for an empty range).
    static func span(_ range: ClosedRange<Double>) -> Double {
        let width = range.upperBound - range.lowerBound
        return width > 0 ? width : 1
    }

    private func span(_ range: ClosedRange<Double>) -> Double { Self.span(range) }
}
