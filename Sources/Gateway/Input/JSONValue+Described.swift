import ChurnML

extension JSONValue {
    /// A short description of the value's kind and content for the gateway's error messages
    /// (`text "abc"`, `the number 3`, `true`, `an array`, `an object`, `null`).
    var described: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "the number \(NumberText.format(value.double))"
        case .string(let value): "text \"\(value.count > 40 ? String(value.prefix(40)) + "…" : value)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
