/// Something drawn as SVG text: shared number formatting for coordinates.
protocol SVGDrawing {}

extension SVGDrawing {
    /// A coordinate with one decimal (compact, exact enough at screen resolution).
    func f(_ value: Double) -> String { NumberText.fixed(value, 1) }
}
