import Testing

@testable import Registry

/// The glob → regex translation, on hand-worked cases (no database needed).
@Suite("PostgreSQL glob to regex")
struct PostgresGlobRegexTests {
    @Test("wildcards, sets and literals")
    func translations() {
        #expect(GlobRegex.translate("churn*") == "^churn.*$")
        #expect(GlobRegex.translate("r?sk") == "^r.sk$")
        #expect(GlobRegex.translate("") == "^$")
        #expect(GlobRegex.translate("a.b+c") == #"^a\.b\+c$"#)
        #expect(GlobRegex.translate("(x)|{1}$^") == #"^\(x\)\|\{1\}\$\^$"#)
        #expect(GlobRegex.translate(#"back\slash"#) == #"^back\\slash$"#)
        #expect(GlobRegex.translate("[abc]") == "^[abc]$")
        #expect(GlobRegex.translate("[a-z]*") == "^[a-z].*$")
        #expect(GlobRegex.translate("[^0-9]") == "^[^0-9]$")
        // A "]" right after "[" (or "[^") is a member; "-" first or last is a member.
        #expect(GlobRegex.translate("[]a]") == #"^[\]a]$"#)
        #expect(GlobRegex.translate("[^]]") == #"^[^\]]$"#)
        #expect(GlobRegex.translate("[-a]") == #"^[\-a]$"#)
        #expect(GlobRegex.translate("[a-]") == #"^[a\-]$"#)
        // After a range, "-" is a member again: a-c, "-", e.
        #expect(GlobRegex.translate("[a-c-e]") == #"^[a-c\-e]$"#)
        // Regex-special characters inside a set are members.
        #expect(GlobRegex.translate(#"[\[^.]"#) == #"^[\\\[\^.]$"#)
        // "*" and "?" inside a set are members, not wildcards.
        #expect(GlobRegex.translate("[*?]") == "^[*?]$")
        // A lone "]" outside a set is a literal.
        #expect(GlobRegex.translate("a]") == #"^a\]$"#)
    }

    @Test("patterns that match nothing")
    func unmatchable() {
        #expect(GlobRegex.translate("[abc") == nil)
        #expect(GlobRegex.translate("x[") == nil)
        #expect(GlobRegex.translate("[z-a]") == nil)
        // An inverted set left empty matches any one character.
        #expect(GlobRegex.translate("[^z-a]") == "^.$")
    }

    @Test("the PostgreSQL dialect numbers placeholders and matches globs as regexes; SQLite's is unchanged")
    func dialect() throws {
        let query = try ModelQuery.parse("name ~ \"ch*\" or tags.team ~ \"r?sk\" limit 5")
        let sqlite = QueryCompiler.compile(query)
        #expect(sqlite == QueryCompiler.compile(query, dialect: .sqlite))
        #expect(sqlite.sql.contains("v.name GLOB ?"))
        #expect(sqlite.arguments == [.text("ch*"), .text("team"), .text("r?sk"), .integer(5), .integer(0)])
        let postgres = QueryCompiler.compile(query, dialect: .postgres)
        #expect(postgres.sql.contains("v.name ~ $1"))
        #expect(postgres.sql.contains("key = $2 AND value ~ $3"))
        #expect(postgres.sql.hasSuffix("LIMIT $4 OFFSET $5"))
        #expect(!postgres.sql.contains("?") && !postgres.sql.contains("GLOB"))
        #expect(postgres.arguments == [.text("^ch.*$"), .text("team"), .text("^r.sk$"), .integer(5), .integer(0)])
        let never = QueryCompiler.compile(try ModelQuery.parse("name ~ \"[x\""), dialect: .postgres)
        #expect(never.sql.contains("WHERE FALSE"))
        #expect(never.arguments == [.integer(100), .integer(0)])
    }
}
