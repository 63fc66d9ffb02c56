/// The SQL dialect `QueryCompiler` writes: the embedded SQLite index, or PostgreSQL.
public enum SQLDialect: Sendable, Equatable {
    /// SQLite: `?` placeholders, `GLOB` for `~`, `0` for a test that can never hold.
    case sqlite
    /// PostgreSQL: `$1…$n` placeholders, `~` with the glob translated to an anchored POSIX regex
    /// (`GlobRegex`), `FALSE` for a test that can never hold.
    case postgres
}
