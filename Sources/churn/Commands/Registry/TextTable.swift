/// A plain-text table with left-aligned columns separated by two spaces.
struct TextTable {
    /// Column headings.
    var headings: [String]
    /// Rows (each as many cells as headings; missing cells print empty).
    var rows: [[String]] = []

    /// The rendered table, one line per row, headings first.
    func render() -> String {
        var widths = headings.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for index in widths.indices {
                let cell = index < cells.count ? cells[index] : ""
                out +=
                    index == widths.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            return out
        }
        return ([line(headings)] + rows.map(line)).joined(separator: "\n")
    }
}
