import NIOCore

/// A request body passed through unchanged, except that it may not hold more than `limit` bytes (a
/// 413 as soon as it does) and, when the client announced a `Content-Length`, must hold exactly that
/// many (a body cut short is a 400, so a truncated file is never stored as if it were whole).
struct CountedBody<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    /// The body.
    let base: Base
    /// The announced length, if any.
    let expected: Int?
    /// The most bytes allowed.
    let limit: Int

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), expected: expected, limit: limit) }

    /// Counts what passes.
    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let expected: Int?
        let limit: Int
        var count = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else {
                if let expected, count != expected {
                    throw GatewayError.invalidInput(
                        "the body ended after \(count) of the \(expected) bytes announced",
                        fields: [FieldError(field: "body", message: "incomplete upload")])
                }
                return nil
            }
            count += buffer.readableBytes
            guard count <= limit else { throw DatasetPusher.tooLarge(limit) }
            return buffer
        }
    }
}
