import Wire

/// Checks a SubmitJob request's names before a job is stored, with the registry's rules, so a job
/// that could never publish is refused at once (`invalidRequest`, `field` naming the key).
enum JobRequestRules {
    /// Longest name (`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`, as the registry's).
    static let maximumNameLength = 128
    /// Longest tag value, in UTF-8 bytes (as the registry's).
    static let maximumTextLength = 4096

    /// Throws unless the request's dataset reference, model name, target and tags are well formed.
    static func check(_ request: SubmitJobRequest) throws {
        let parts = request.dataset.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(
            String.init)
        try checkName(parts[0], field: "dataset", what: "dataset name")
        if parts.count == 2 {
            let digest = parts[1]
            guard (4...64).contains(digest.utf8.count), digest.utf8.allSatisfy(isHex) else {
                throw ErrorMessage(
                    code: .invalidRequest,
                    message: "dataset \"\(request.dataset)\": after '@' comes a SHA-256 prefix of 4 to 64 hex digits",
                    field: "dataset")
            }
        }
        try checkName(request.modelName, field: "model_name", what: "model name")
        if let target = request.target, target.isEmpty {
            throw ErrorMessage(code: .invalidRequest, message: "target must not be empty when given", field: "target")
        }
        for (key, value) in request.tags {
            try checkName(key, field: "tags", what: "tag key")
            guard value.utf8.count <= maximumTextLength,
                !value.unicodeScalars.contains(where: {
                    ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0x7F
                })
            else {
                throw ErrorMessage(
                    code: .invalidRequest, message: "tag \(key): value too long or contains a control character",
                    field: "tags")
            }
        }
    }

    private static func checkName(_ value: String, field: String, what: String) throws {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, bytes.count <= maximumNameLength, isAlphanumeric(first),
            bytes.allSatisfy({
                isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            })
        else {
            throw ErrorMessage(
                code: .invalidRequest,
                message:
                    "\(what) \"\(value)\" must be 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit",
                field: field)
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
