import NIOCore

/// Reads a `multipart/form-data` body as it arrives (``MultipartStream`` over the body's byte
/// buffers): the small text fields before the file part are collected (``fieldsBeforeFile(file:)``),
/// then the file's content is handed on piece by piece (``fileBytes()``) without being held whole.
///
/// Used by one task at a time (the request's handler); not `Sendable`.
final class MultipartReader<Body: AsyncIteratorProtocol> where Body.Element == ByteBuffer {
    /// Longest text field collected.
    static var maxFieldBytes: Int { 64 * 1024 }

    private var body: Body
    private var parser: MultipartStream
    private var queue: [MultipartStream.Event] = []
    private var next = 0
    private var bodyEnded = false

    /// Reads `body`, a form with `boundary`.
    init(body: Body, boundary: String) {
        self.body = body
        parser = MultipartStream(boundary: boundary)
    }

    /// The next event; nil after the closing boundary. A body that ends before it throws.
    func event() async throws -> MultipartStream.Event? {
        while next == queue.count {
            queue.removeAll(keepingCapacity: true)
            next = 0
            if parser.isComplete { return nil }
            guard !bodyEnded, let buffer = try await body.next() else {
                bodyEnded = true
                try parser.finish()
                return nil
            }
            queue = try parser.feed(buffer)
        }
        defer { next += 1 }
        return queue[next]
    }

    /// Puts `event` back to be read again.
    private func unread(_ event: MultipartStream.Event) {
        if next > 0 {
            next -= 1
            queue[next] = event
        } else {
            queue.insert(event, at: 0)
        }
    }

    /// The text fields that come before the part named `file` (as UTF-8 text, a field over
    /// ``maxFieldBytes`` is a 400), and that part's file name; nil file name when the form has no such part.
    func fieldsBeforeFile(file: String) async throws -> (fields: [String: String], filename: String?) {
        var fields: [String: String] = [:]
        var current: String?
        var bytes: [UInt8] = []
        func close() {
            if let current { fields[current] = String(decoding: bytes, as: UTF8.self) }
            current = nil
            bytes.removeAll()
        }
        while let event = try await event() {
            switch event {
            case .part(let name, let filename):
                close()
                if name == file { return (fields, filename ?? "") }
                current = name
            case .data(let data):
                guard current != nil else { continue }
                guard bytes.count + data.readableBytes <= Self.maxFieldBytes else {
                    throw GatewayError.invalidInput(
                        "the form field \"\(current ?? "")\" is too long",
                        fields: [FieldError(field: current ?? "body", message: "at most \(Self.maxFieldBytes) bytes")])
                }
                bytes.append(contentsOf: data.readableBytesView)
            case .end:
                close()
            }
        }
        close()
        return (fields, nil)
    }

    /// The content of the current part (after ``fieldsBeforeFile(file:)`` found the file), as an
    /// async sequence of byte buffers that ends where the part ends and throws if the body breaks off.
    func fileBytes() -> FileBytes { FileBytes(reader: self) }

    /// The content of the current part, piece by piece.
    struct FileBytes: AsyncSequence {
        typealias Element = ByteBuffer
        let reader: MultipartReader

        func makeAsyncIterator() -> Iterator { Iterator(reader: reader) }

        /// Yields `data` events until the next part or the end.
        struct Iterator: AsyncIteratorProtocol {
            let reader: MultipartReader
            var finished = false

            mutating func next() async throws -> ByteBuffer? {
                guard !finished else { return nil }
                while let event = try await reader.event() {
                    switch event {
                    case .data(let data): return data
                    case .part, .end:
                        reader.unread(event)
                        finished = true
                        return nil
                    }
                }
                finished = true
                return nil
            }
        }
    }

    /// Reads the rest of the form, checking that it ends properly (parts after the file are ignored).
    func finish() async throws {
        while try await event() != nil {}
    }
}
