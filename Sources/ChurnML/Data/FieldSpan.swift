/// Where one CSV field's content lies in the file's bytes: `start..<end`, quotes excluded.
///
/// A quoted field that contains `""` escapes is marked by storing `start` as `-(start + 1)`;
/// its bytes must be unescaped before use and can never be a number or a missing token.
struct FieldSpan {
    /// The first content byte, or `-(first + 1)` for an escaped field.
    var start: Int
    /// One past the last content byte.
    var end: Int

    /// A span of plain bytes.
    @inline(__always)
    init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// A span, marked escaped when `escaped` is true.
    @inline(__always)
    init(start: Int, end: Int, escaped: Bool) {
        self.start = escaped ? -(start + 1) : start
        self.end = end
    }

    /// Whether the field contains `""` escapes.
    @inline(__always)
    var isEscaped: Bool { start < 0 }

    /// The first content byte, escaped or not.
    @inline(__always)
    var contentStart: Int { start < 0 ? -(start + 1) : start }
}
