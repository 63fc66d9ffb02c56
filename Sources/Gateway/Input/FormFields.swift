import NIOCore

/// The fields of a submitted HTML form: `application/x-www-form-urlencoded` bodies, and the text
/// parts of `multipart/form-data` ones (see ``MultipartForm``).
struct FormFields: Sendable {
    /// Name → value (the last one wins when a name repeats).
    var values: [String: String]

    /// Wraps values.
    init(_ values: [String: String] = [:]) { self.values = values }

    /// Parses an URL-encoded body (`a=1&b=x+y%21`); undecodable escapes are kept as written.
    init(urlEncoded body: ByteBuffer) {
        values = [:]
        let text = String(buffer: body)
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    /// The value of `name`.
    subscript(_ name: String) -> String? { values[name] }

    /// Percent-decoding with `+` as a space; invalid UTF-8 is repaired, bad escapes kept verbatim.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hex(iterator[iterator.startIndex]), let low = hex(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
