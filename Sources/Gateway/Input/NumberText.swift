/// Number ↔ text conversions shared by the input readers and the pages.
enum NumberText {
    /// Integral values without a fraction (`3`, not `3.0`), others as Swift prints them.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A finite decimal number written by a person: spaces around it allowed, nothing else.
    static func parse(_ text: Substring) -> Double? {
        let trimmed = trim(text)
        guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
        // Double(_:) also reads "nan", "inf" and hexadecimal floats; people mean decimals.
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        return value
    }

    /// `text` without spaces and tabs at either end.
    static func trim(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    /// A probability as a percentage with one decimal (`23.4%`).
    static func percent(_ probability: Double) -> String {
        fixed(probability * 100, 1) + "%"
    }

    /// A number with `digits` decimals (rounded half away from zero), no exponent.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let whole = Int64(scaled / scale)
        var fraction = String(Int64(scaled) - whole * Int64(scale))
        if digits > 0 { fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction }
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return digits > 0 ? "\(sign)\(whole).\(fraction)" : "\(sign)\(whole)"
    }
}
