/// Translates a SQLite `GLOB` pattern (the query language's `~`) to an anchored PostgreSQL regular
/// expression (ARE) that matches exactly the same strings.
///
/// SQLite's rules, which this follows: `*` matches any run of characters (newlines included), `?`
/// exactly one character, `[…]` one character of a set — `^` right after `[` inverts it, a `]`
/// right after `[` (or `[^`) is a member, `a-z` is an inclusive code-point range (a `-` first,
/// last, or right after a range is a member), and a set that is never closed makes the pattern
/// match nothing. Every other character matches itself, case-sensitively.
enum GlobRegex {
    /// The regex for `glob`, or nil when the glob can match no string at all (an unclosed set, or
    /// a set left empty by reversed ranges).
    static func translate(_ glob: String) -> String? {
        var regex = "^"
        var characters = Array(glob.unicodeScalars)[...]
        while let character = characters.popFirst() {
            switch character {
            case "*": regex += ".*"
            case "?": regex += "."
            case "[":
                guard let set = parseSet(&characters) else { return nil }
                regex += set
            default: regex += escaped(character)
            }
        }
        return regex + "$"
    }

    /// Reads a set after its `[` (through its `]`) and returns it as a regex bracket expression,
    /// or nil when it is never closed or matches no character.
    private static func parseSet(_ characters: inout ArraySlice<Unicode.Scalar>) -> String? {
        var inverted = false
        var members: [(Unicode.Scalar, Unicode.Scalar)] = []
        var next = characters.popFirst()
        if next == "^" {
            inverted = true
            next = characters.popFirst()
        }
        if next == "]" {
            members.append(("]", "]"))
            next = characters.popFirst()
        }
        var prior: Unicode.Scalar?
        while let character = next, character != "]" {
            if character == "-", let low = prior, let high = characters.first, high != "]" {
                characters.removeFirst()
                members.removeLast()
                members.append((low, high))
                prior = nil
            } else {
                members.append((character, character))
                prior = character
            }
            next = characters.popFirst()
        }
        guard next == "]" else { return nil }
        // A reversed range matches nothing in SQLite (and is an error in a regex): leave it out.
        members = members.filter { $0.0.value <= $0.1.value }
        if members.isEmpty { return inverted ? "." : nil }
        var bracket = inverted ? "[^" : "["
        for (low, high) in members {
            bracket += low == high ? setEscaped(low) : setEscaped(low) + "-" + setEscaped(high)
        }
        return bracket + "]"
    }

    /// A character outside a set, escaped when it means something to a regex.
    private static func escaped(_ character: Unicode.Scalar) -> String {
        "\\.^$|?*+()[]{}".unicodeScalars.contains(character) ? "\\" + String(character) : String(character)
    }

    /// A character inside a set, escaped when it means something there (`\`, `[`, `]`, `^`, `-`).
    private static func setEscaped(_ character: Unicode.Scalar) -> String {
        "\\[]^-".unicodeScalars.contains(character) ? "\\" + String(character) : String(character)
    }
}
