import NIOCore

/// An incremental `multipart/form-data` parser (RFC 7578): fed the body as it arrives, it reports
/// each part's start (field name and file name) and its content in pieces, holding back only what
/// could be the start of the next boundary, so a file part of any size passes through in bounded
/// memory (the current input plus one delimiter; part headers are limited to ``maxHeaderBytes``).
///
/// Malformed input (no boundary, headers that never end or are too long, a body that stops before
/// the closing boundary) is a 400 ``GatewayError`` naming the body.
struct MultipartStream {
    /// What the parser found.
    enum Event: Equatable {
        /// A part starts: its form field name and, for a file, the file name.
        case part(name: String, filename: String?)
        /// Content of the current part (a part's content may come in many pieces).
        case data(ByteBuffer)
        /// The closing boundary: the form is complete.
        case end
    }

    /// Longest header block of one part.
    static let maxHeaderBytes = 16 * 1024

    private enum State {
        case preamble, headers, content, afterDelimiter, done
    }

    /// `\r\n--boundary`: what ends a part's content (the body's first delimiter may lack the CRLF).
    private let delimiter: [UInt8]
    private var state = State.preamble
    private var held: [UInt8] = []

    /// A parser for `boundary` (from ``MultipartForm/boundary(contentType:)``).
    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The preamble is searched with a leading CRLF so that a body starting with `--boundary` matches.
        held = [13, 10]
    }

    /// Whether the closing boundary was seen.
    var isComplete: Bool { if case .done = state { true } else { false } }

    /// Parses `buffer` (the next bytes of the body) and returns what it completed.
    mutating func feed(_ buffer: ByteBuffer) throws -> [Event] {
        held.append(contentsOf: buffer.readableBytesView)
        var events: [Event] = []
        var position = 0
        defer { held.removeFirst(position) }
        while true {
            switch state {
            case .preamble:
                guard let found = Self.find(delimiter, in: held, from: position) else {
                    // Keep only what may still be the start of the first delimiter.
                    position = max(position, held.count - (delimiter.count - 1))
                    return events
                }
                position = found + delimiter.count
                state = .afterDelimiter
            case .afterDelimiter:
                guard held.count - position >= 2 else { return events }
                if held[position] == UInt8(ascii: "-"), held[position + 1] == UInt8(ascii: "-") {
                    position = held.count
                    state = .done
                    events.append(.end)
                    return events
                }
                guard held[position] == 13, held[position + 1] == 10 else {
                    throw Self.malformed("a boundary line is followed by something other than a line break")
                }
                position += 2
                state = .headers
            case .headers:
                guard let end = Self.find(Self.headerEnd, in: held, from: position) else {
                    if held.count - position > Self.maxHeaderBytes {
                        throw Self.malformed("a part's headers are longer than \(Self.maxHeaderBytes) bytes")
                    }
                    return events
                }
                guard end - position <= Self.maxHeaderBytes else {
                    throw Self.malformed("a part's headers are longer than \(Self.maxHeaderBytes) bytes")
                }
                let (name, filename) = MultipartForm.disposition(String(decoding: held[position..<end], as: UTF8.self))
                guard let name else { throw Self.malformed("a part has no Content-Disposition name") }
                events.append(.part(name: name, filename: filename))
                position = end + Self.headerEnd.count
                state = .content
            case .content:
                if let found = Self.find(delimiter, in: held, from: position) {
                    if found > position { events.append(.data(ByteBuffer(bytes: held[position..<found]))) }
                    position = found + delimiter.count
                    state = .afterDelimiter
                    continue
                }
                // Everything but a tail that may be the start of the delimiter is content.
                let safe = held.count - (delimiter.count - 1)
                if safe > position {
                    events.append(.data(ByteBuffer(bytes: held[position..<safe])))
                    position = safe
                }
                return events
            case .done:
                position = held.count  // the epilogue is ignored
                return events
            }
        }
    }

    /// Checks that the body ended after the closing boundary.
    func finish() throws {
        guard isComplete else {
            throw Self.malformed("the body ended before the closing boundary (was the upload interrupted?)")
        }
    }

    private static let headerEnd: [UInt8] = [13, 10, 13, 10]

    /// A 400 about the body.
    static func malformed(_ reason: String) -> GatewayError {
        GatewayError.invalidInput(
            "the upload is not valid multipart/form-data: \(reason)",
            fields: [FieldError(field: "body", message: reason)])
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = max(0, start)
        let last = haystack.count - needle.count
        while index <= last {
            guard let candidate = haystack[index...last].firstIndex(of: first) else { return nil }
            var match = true
            for offset in 1..<needle.count where haystack[candidate + offset] != needle[offset] {
                match = false
                break
            }
            if match { return candidate }
            index = candidate + 1
        }
        return nil
    }
}
