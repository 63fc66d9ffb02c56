/// Splits query text into tokens. Never traps: every malformed input (an unterminated string, a
/// stray character, a malformed number) becomes a `QueryError` with its column.
public enum QueryTokenizer {
    /// Longest query text accepted, in Unicode scalars.
    public static let maximumLength = 4096

    /// The tokens of `text`, ending with one `.end` token.
    public static func tokenize(_ text: String) throws -> [QueryToken] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= maximumLength else {
            throw QueryError("the query is longer than \(maximumLength) characters", column: maximumLength + 1)
        }
        var tokens: [QueryToken] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let start = index
            let column = start + 1
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                index += 1
                continue
            }
            switch scalar {
            case "(":
                tokens.append(QueryToken(kind: .leftParenthesis, text: "(", column: column))
                index += 1
            case ")":
                tokens.append(QueryToken(kind: .rightParenthesis, text: ")", column: column))
                index += 1
            case ",":
                tokens.append(QueryToken(kind: .comma, text: ",", column: column))
                index += 1
            case "=", "!", "<", ">", "~":
                let (comparison, length) = try comparisonOperator(scalars, at: index)
                index += length
                tokens.append(
                    QueryToken(kind: .comparison(comparison), text: slice(scalars, start, index), column: column))
            case "\"", "'":
                let (value, end) = try quotedString(scalars, at: index)
                index = end
                tokens.append(QueryToken(kind: .string(value), text: slice(scalars, start, index), column: column))
            case "0"..."9", "-", "+", ".":
                let (value, end) = try number(scalars, at: index)
                index = end
                tokens.append(QueryToken(kind: .number(value), text: slice(scalars, start, index), column: column))
            default:
                guard isIdentifierStart(scalar) else {
                    throw QueryError("unexpected character \"\(scalar.escaped(asASCII: false))\"", column: column)
                }
                index += 1
                while index < scalars.count, isIdentifierPart(scalars[index]) { index += 1 }
                let word = slice(scalars, start, index)
                if let keyword = QueryKeyword(rawValue: word.lowercased()) {
                    tokens.append(QueryToken(kind: .keyword(keyword), text: word, column: column))
                } else {
                    tokens.append(QueryToken(kind: .identifier(word), text: word, column: column))
                }
            }
        }
        tokens.append(QueryToken(kind: .end, text: "", column: scalars.count + 1))
        return tokens
    }

    private static func comparisonOperator(_ scalars: [Unicode.Scalar], at index: Int) throws -> (
        ComparisonOperator, Int
    ) {
        let first = scalars[index]
        let second: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
        switch (first, second) {
        case ("=", "="): return (.equal, 2)
        case ("=", _): return (.equal, 1)
        case ("!", "="): return (.notEqual, 2)
        case ("<", ">"): return (.notEqual, 2)
        case ("<", "="): return (.lessOrEqual, 2)
        case ("<", _): return (.less, 1)
        case (">", "="): return (.greaterOrEqual, 2)
        case (">", _): return (.greater, 1)
        case ("~", _): return (.glob, 1)
        default: throw QueryError("unexpected character \"!\" (did you mean \"!=\" or \"not\"?)", column: index + 1)
        }
    }

    private static func quotedString(_ scalars: [Unicode.Scalar], at start: Int) throws -> (String, Int) {
        let quote = scalars[start]
        var value = String.UnicodeScalarView()
        var index = start + 1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == quote { return (String(value), index + 1) }
            if scalar == "\\" {
                guard index + 1 < scalars.count else { break }
                switch scalars[index + 1] {
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                case "'": value.append("'")
                case "n": value.append("\n")
                case "t": value.append("\t")
                default:
                    throw QueryError(
                        "unknown escape \"\\\(scalars[index + 1].escaped(asASCII: false))\" in string",
                        column: index + 1)
                }
                index += 2
                continue
            }
            value.append(scalar)
            index += 1
        }
        throw QueryError("unterminated string (missing closing \(quote))", column: start + 1)
    }

    private static func number(_ scalars: [Unicode.Scalar], at start: Int) throws -> (Double, Int) {
        var index = start
        if scalars[index] == "-" || scalars[index] == "+" { index += 1 }
        let digitsStart = index
        while index < scalars.count, isDigit(scalars[index]) { index += 1 }
        if index < scalars.count, scalars[index] == "." {
            index += 1
            while index < scalars.count, isDigit(scalars[index]) { index += 1 }
        }
        let mantissa = slice(scalars, digitsStart, index)
        guard mantissa.contains(where: { $0.isNumber }) else {
            throw QueryError(
                "\"\(slice(scalars, start, min(index + 1, scalars.count)))\" is not a number", column: start + 1)
        }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var exponentEnd = index + 1
            if exponentEnd < scalars.count, scalars[exponentEnd] == "-" || scalars[exponentEnd] == "+" {
                exponentEnd += 1
            }
            let exponentDigits = exponentEnd
            while exponentEnd < scalars.count, isDigit(scalars[exponentEnd]) { exponentEnd += 1 }
            guard exponentEnd > exponentDigits else {
                throw QueryError(
                    "malformed exponent in number \"\(slice(scalars, start, exponentEnd))\"", column: start + 1)
            }
            index = exponentEnd
        }
        if index < scalars.count, isIdentifierPart(scalars[index]) {
            throw QueryError(
                "unexpected \"\(scalars[index].escaped(asASCII: false))\" after number \"\(slice(scalars, start, index))\"",
                column: index + 1)
        }
        let written = slice(scalars, start, index)
        guard let value = Double(written), value.isFinite else {
            throw QueryError("\"\(written)\" is not a finite number", column: start + 1)
        }
        return (value, index)
    }

    private static func slice(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar >= "0" && scalar <= "9"
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar) || scalar == "." || scalar == "-"
    }
}
