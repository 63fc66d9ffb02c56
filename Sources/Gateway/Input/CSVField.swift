/// Writing CSV fields (the ranking download): RFC 4180 quoting.
enum CSVField {
    /// The CSV text of one field: quoted (with its quotes doubled) when it holds a comma, a quote or a
    /// line break, else as it is.
    static func quote(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
