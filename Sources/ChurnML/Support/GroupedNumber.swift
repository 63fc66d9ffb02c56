/// Numbers with thousands separators for messages and terminal output (`10,000 rows`).
public enum GroupedNumber {
    /// `1234567.8` as `1,234,568`.
    public static func text(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e18 else { return value.description }
        let rounded = Int(value.rounded())
        return (rounded < 0 ? "-" : "") + text(rounded.magnitude)
    }

    /// `1234567` as `1,234,567`; negative numbers keep their sign (`-1,000`).
    public static func text(_ value: Int) -> String {
        (value < 0 ? "-" : "") + text(value.magnitude)
    }

    /// The digits of `value` grouped by three.
    private static func text(_ value: UInt) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
