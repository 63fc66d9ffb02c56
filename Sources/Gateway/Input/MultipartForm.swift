/// A `multipart/form-data` body (RFC 7578) split into its parts: each part's field name, file
/// name (for uploads) and raw bytes. Enough for the batch page's CSV upload; anything malformed
/// is a ``GatewayError`` naming the body.
struct MultipartForm {
    /// One part.
    struct Part {
        /// The form field's name.
        var name: String
        /// The uploaded file's name, for file fields.
        var filename: String?
        /// The content.
        var bytes: ArraySlice<UInt8>
    }

    /// The parts, in order.
    var parts: [Part]

    /// The boundary of a `multipart/form-data; boundary=…` content type, nil for other types.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingSpaces() }
        guard let first = pieces.first, first.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = piece.dropFirst("boundary=".count)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// Splits `body` at `--boundary` lines.
    init(body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var position = Self.find(delimiter, in: body, from: 0) else {
            throw Self.malformed("no part starts with the boundary")
        }
        while true {
            position += delimiter.count
            // "--" after a delimiter ends the body.
            if position + 1 < body.count, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") {
                break
            }
            guard let headerStart = Self.skipLineBreak(body, position),
                let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: headerStart)
            else { throw Self.malformed("a part has no header") }
            let headers = String(decoding: body[headerStart..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = Self.find(Array("\r\n".utf8) + delimiter, in: body, from: contentStart) else {
                throw Self.malformed("a part does not end with the boundary")
            }
            let (name, filename) = Self.disposition(headers)
            if let name { parts.append(Part(name: name, filename: filename, bytes: body[contentStart..<next])) }
            position = next + 2
        }
        self.parts = parts
    }

    /// The first part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    private static func malformed(_ reason: String) -> GatewayError {
        GatewayError.invalidInput(
            "the upload is not valid multipart/form-data", fields: [FieldError(field: "body", message: reason)])
    }

    /// The position after a CRLF at `position`, nil if there is none.
    private static func skipLineBreak(_ body: [UInt8], _ position: Int) -> Int? {
        guard position + 1 < body.count, body[position] == 13, body[position + 1] == 10 else { return nil }
        return position + 2
    }

    /// `name` and `filename` of a `Content-Disposition: form-data; name="…"; filename="…"` header.
    static func disposition(_ headers: String) -> (String?, String?) {
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "content-disposition" else { continue }
            var name: String?
            var filename: String?
            for item in pair[1].split(separator: ";").map({ $0.trimmingSpaces() }) {
                let keyValue = item.split(separator: "=", maxSplits: 1)
                guard keyValue.count == 2 else { continue }
                var value = keyValue[1]
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = value.dropFirst().dropLast()
                }
                switch keyValue[0].lowercased() {
                case "name": name = String(value)
                case "filename": filename = String(value)
                default: break
                }
            }
            return (name, filename)
        }
        return (nil, nil)
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var index = max(0, start)
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }
}

extension Substring {
    /// Without spaces and tabs at either end.
    func trimmingSpaces() -> Substring { NumberText.trim(self) }
}
