/// Numbers with thousands separators for terminal output.
enum GroupedNumber {
    /// `1234567.8` as `1,234,568`.
    static func text(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        return (rounded < 0 ? "-" : "") + text(abs(rounded))
    }

    /// `1234567` as `1,234,567`.
    static func text(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
