/// A 2×2 confusion matrix as an SVG heat map: actual class in rows, predicted class in columns,
/// each cell with its count and share of its actual class.
struct ConfusionMatrixChart: SVGDrawing {
    /// The counts.
    var matrix: BundleEvaluation.Confusion

    /// The `<svg>` element with id `confusion-matrix`.
    func render() -> String {
        let width = 330.0
        let height = 280.0
        let left = 96.0
        let top = 58.0
        let cell = 105.0
        let largest = Double(max(1, matrix.tp, matrix.fp, matrix.tn, matrix.fn))
        let actualStay = Double(matrix.tn + matrix.fp)
        let actualChurn = Double(matrix.fn + matrix.tp)
        let cells: [(row: Int, column: Int, count: Int, of: Double, correct: Bool)] = [
            (0, 0, matrix.tn, actualStay, true), (0, 1, matrix.fp, actualStay, false),
            (1, 0, matrix.fn, actualChurn, false), (1, 1, matrix.tp, actualChurn, true),
        ]
        var svg = """
            <svg id="confusion-matrix" class="chart" xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" role="img" aria-label="confusion matrix">
            <rect width="\(f(width))" height="\(f(height))" fill="#fff"/>
            <text x="\(f(width / 2))" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="#243b53">Confusion matrix</text>
            <text x="\(f(left + cell))" y="44" text-anchor="middle" font-size="12" fill="#334e68">predicted</text>
            """
        for (index, name) in ["stay", "churn"].enumerated() {
            svg +=
                "<text x=\"\(f(left + cell * (Double(index) + 0.5)))\" y=\"\(f(top - 4))\" text-anchor=\"middle\" font-size=\"12\" fill=\"#334e68\">\(name)</text>"
            svg +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(top + cell * (Double(index) + 0.5) + 4))\" text-anchor=\"end\" font-size=\"12\" fill=\"#334e68\">actual \(name)</text>"
        }
        for item in cells {
            let x = left + Double(item.column) * cell
            let y = top + Double(item.row) * cell
            let intensity = 0.15 + 0.75 * Double(item.count) / largest
            let color = item.correct ? "47,111,222" : "198,40,40"
            let share = item.of > 0 ? NumberText.percent(Double(item.count) / item.of) : "–"
            svg +=
                "<rect class=\"cell\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell - 3))\" height=\"\(f(cell - 3))\" fill=\"rgba(\(color),\(NumberText.fixed(intensity, 2)))\" rx=\"4\"/>"
            let textColor = intensity > 0.55 ? "#fff" : "#102a43"
            svg +=
                "<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2))\" text-anchor=\"middle\" font-size=\"22\" font-weight=\"700\" fill=\"\(textColor)\">\(item.count)</text>"
            svg +=
                "<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2 + 20))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(textColor)\">\(share) of row</text>"
        }
        return svg + "</svg>"
    }
}
