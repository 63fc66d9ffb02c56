/// Checks column names: every name non-empty and unique.
enum HeaderValidator {
    /// Throws ``DataError`` for the first empty or duplicate name in `names`.
    static func validate(_ names: [String], source: String, line: Int?) throws {
        guard !names.isEmpty else {
            throw DataError("has no columns", source: source, line: line)
        }
        var firstPosition: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                throw DataError("header column \(index + 1) has an empty name", source: source, line: line)
            }
            if let earlier = firstPosition[name] {
                throw DataError(
                    "appears twice in the header (columns \(earlier + 1) and \(index + 1)); column names must be unique",
                    source: source, line: line, column: name)
            }
            firstPosition[name] = index
        }
    }
}
