import ChurnML

/// How a batch's churn probabilities spread: ten bins over [0, 1], each bar coloured by the risk
/// band of its centre.
struct HistogramChart: SVGDrawing {
    /// The probabilities.
    var probabilities: [Float]
    /// The model's threshold (for the band colours).
    var threshold: Double

    /// The `<svg>` element with id `histogram`.
    func render() -> String {
        let width = 420.0
        let height = 200.0
        let left = 44.0
        let bottom = 34.0
        let top = 24.0
        var counts = [Int](repeating: 0, count: 10)
        for probability in probabilities where probability.isFinite {
            counts[Int(min(max(probability, 0), 0.999) * 10)] += 1
        }
        let largest = Double(max(1, counts.max() ?? 1))
        let barWidth = (width - left - 10) / 10
        let plotHeight = height - top - bottom
        var svg = """
            <svg id="histogram" class="chart" xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" role="img" aria-label="distribution of churn probabilities">
            <text x="\(f(width / 2))" y="15" text-anchor="middle" font-size="13" font-weight="600" fill="#243b53">Customers by churn probability</text>
            """
        for (index, count) in counts.enumerated() {
            let barHeight = Double(count) / largest * plotHeight
            let x = left + Double(index) * barWidth
            let band = RiskBand(probability: (Double(index) + 0.5) / 10, threshold: threshold)
            svg +=
                "<rect x=\"\(f(x + 2))\" y=\"\(f(top + plotHeight - barHeight))\" width=\"\(f(barWidth - 4))\" height=\"\(f(barHeight))\" fill=\"\(band.color)\"/>"
            if count > 0 {
                svg +=
                    "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(top + plotHeight - barHeight - 3))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#334e68\">\(count)</text>"
            }
            svg +=
                "<text x=\"\(f(x))\" y=\"\(f(height - bottom + 14))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#627d98\">\(index * 10)%</text>"
        }
        svg +=
            "<text x=\"\(f(left + 10 * barWidth))\" y=\"\(f(height - bottom + 14))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#627d98\">100%</text>"
        return svg + "</svg>"
    }
}
