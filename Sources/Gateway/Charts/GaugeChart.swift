import ChurnML
import Foundation

/// A half-circle gauge of a churn probability: coloured risk bands, a needle, the percentage, and
/// a tick at the model's threshold.
struct GaugeChart: SVGDrawing {
    /// The probability shown.
    var probability: Double
    /// The model's decision threshold.
    var threshold: Double

    /// The `<svg>` element with id `gauge`.
    func render() -> String {
        let width = 260.0
        let height = 160.0
        let cx = 130.0
        let cy = 135.0
        let radius = 105.0
        let thickness = 22.0
        let t = threshold.isFinite ? min(max(threshold, 0), 1) : 0.5
        let edges = [0, t / 2, t, (1 + t) / 2, 1]
        var svg = """
            <svg id="gauge" xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" \
            role="img" aria-label="churn probability \(NumberText.percent(probability))">
            """
        for (band, index) in zip(RiskBand.allCases, 0..<4) where edges[index + 1] > edges[index] {
            svg += arc(
                from: edges[index], to: edges[index + 1], cx: cx, cy: cy, radius: radius, thickness: thickness,
                color: band.color)
        }
        let (tx0, ty0) = point(t, cx: cx, cy: cy, radius: radius - thickness - 3)
        let (tx1, ty1) = point(t, cx: cx, cy: cy, radius: radius + 4)
        svg +=
            "<line x1=\"\(f(tx0))\" y1=\"\(f(ty0))\" x2=\"\(f(tx1))\" y2=\"\(f(ty1))\" stroke=\"#243b53\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
        let p = probability.isFinite ? min(max(probability, 0), 1) : 0
        let (nx, ny) = point(p, cx: cx, cy: cy, radius: radius - 8)
        svg +=
            "<line id=\"needle\" x1=\"\(f(cx))\" y1=\"\(f(cy))\" x2=\"\(f(nx))\" y2=\"\(f(ny))\" stroke=\"#102a43\" stroke-width=\"4\" stroke-linecap=\"round\"/>"
        svg += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"7\" fill=\"#102a43\"/>"
        svg +=
            "<text x=\"\(f(cx - radius))\" y=\"\(f(cy + 18))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#627d98\">0%</text>"
        svg +=
            "<text x=\"\(f(cx + radius))\" y=\"\(f(cy + 18))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#627d98\">100%</text>"
        return svg + "</svg>"
    }

    /// The point at fraction `value` of the half circle (0 = left, 1 = right).
    private func point(_ value: Double, cx: Double, cy: Double, radius: Double) -> (Double, Double) {
        let angle = Double.pi * (1 - value)
        return (cx + radius * cos(angle), cy - radius * sin(angle))
    }

    /// A band of the half ring between fractions `from` and `to`.
    private func arc(from: Double, to: Double, cx: Double, cy: Double, radius: Double, thickness: Double, color: String)
        -> String
    {
        let inner = radius - thickness
        let (ox0, oy0) = point(from, cx: cx, cy: cy, radius: radius)
        let (ox1, oy1) = point(to, cx: cx, cy: cy, radius: radius)
        let (ix1, iy1) = point(to, cx: cx, cy: cy, radius: inner)
        let (ix0, iy0) = point(from, cx: cx, cy: cy, radius: inner)
        return
            "<path d=\"M \(f(ox0)) \(f(oy0)) A \(f(radius)) \(f(radius)) 0 0 1 \(f(ox1)) \(f(oy1)) L \(f(ix1)) \(f(iy1)) "
            + "A \(f(inner)) \(f(inner)) 0 0 0 \(f(ix0)) \(f(iy0)) Z\" fill=\"\(color)\"/>"
    }
}
