import Testing
import Wire

@testable import Registry

extension PostgresStoreTests {
    /// Search results checked against answers computed here, in plain Swift, from the fixtures.
    @Suite("search")
    struct Search {
        /// One fixture version: what is inserted, and what the expectations are computed from.
        struct Fixture: Sendable {
            var name: String
            var tags: [String: String] = [:]
            var metrics: [String: Double] = [:]
        }

        /// Inserted in this order (publication order = row id order); versions count per name.
        static let fixtures: [Fixture] = [
            Fixture(name: "churn-a", tags: ["team": "risk", "stage": "dev"], metrics: ["auc": 0.81, "f1": 0.5]),
            Fixture(name: "bank", tags: ["team": "risk"], metrics: ["auc": 0.90]),
            Fixture(name: "churn-a", tags: ["team": "risk", "stage": "prod"], metrics: ["auc": 0.88]),
            Fixture(name: "Churn-upper", tags: ["team": "Risk"], metrics: ["auc": 0.70, "f1": 0.9]),
            Fixture(name: "churn-a", tags: ["team": "growth"], metrics: ["auc": 0.86, "f1": 0.7]),
            Fixture(name: "bank", metrics: ["f1": 0.6]),
            Fixture(name: "churnx", tags: ["team": "rask"], metrics: ["auc": 0.88]),
            Fixture(name: "churn-b", tags: ["team": "r.sk"], metrics: ["auc": 0.75, "f1": 0.7]),
        ]
        /// Aliases set after publishing: (name, alias, version).
        static let aliases: [(String, String, Int)] = [
            ("churn-a", "production", 2), ("churn-a", "staging", 3), ("bank", "production", 1),
        ]

        /// A fixture with its assigned version and aliases.
        struct Row {
            var index: Int
            var name: String
            var version: Int
            var tags: [String: String]
            var metrics: [String: Double]
            var aliases: Set<String>
            var reference: String { "\(name)@\(version)" }
        }

        static var rows: [Row] {
            var counts: [String: Int] = [:]
            return fixtures.enumerated().map { index, fixture in
                counts[fixture.name, default: 0] += 1
                let version = counts[fixture.name]!
                let aliasSet = Set(aliases.filter { $0.0 == fixture.name && $0.2 == version }.map(\.1))
                return Row(
                    index: index, name: fixture.name, version: version, tags: fixture.tags, metrics: fixture.metrics,
                    aliases: aliasSet)
            }
        }

        /// Byte-wise string order (as COLLATE "C" and SQLite's BINARY).
        static func bytewise(_ a: String, _ b: String) -> Bool {
            Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }

        /// Default order: name, then version.
        static func byNameVersion(_ a: Row, _ b: Row) -> Bool {
            a.name != b.name ? bytewise(a.name, b.name) : a.version < b.version
        }

        /// Orders by a metric (missing last), ties by publication order in the key's direction.
        static func byMetric(_ key: String, descending: Bool) -> (Row, Row) -> Bool {
            { a, b in
                switch (a.metrics[key], b.metrics[key]) {
                case (nil, nil): return descending ? a.index > b.index : a.index < b.index
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?):
                    if x != y { return descending ? x > y : x < y }
                    return descending ? a.index > b.index : a.index < b.index
                }
            }
        }

        static func expected(_ filter: (Row) -> Bool, _ order: (Row, Row) -> Bool = byNameVersion) -> [String] {
            rows.filter(filter).sorted(by: order).map(\.reference)
        }

        @Test("queries return the rows and order computed from the fixtures")
        func parity() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { store in
                    for (index, fixture) in Self.fixtures.enumerated() {
                        _ = try await store.insertVersion(
                            PostgresFixtures.draft(
                                fixture.name, seed: index + 1, tags: fixture.tags, metrics: fixture.metrics),
                            alias: nil, who: "", at: Int64(1000 + index))
                    }
                    for (name, alias, version) in Self.aliases {
                        _ = try await store.moveAlias(name: name, alias: alias, to: version, who: "", at: 5000)
                    }
                    let cases: [(String, [String])] = [
                        ("tags.team = \"risk\"", Self.expected { $0.tags["team"] == "risk" }),
                        (
                            "metrics.auc >= 0.85 order by metrics.auc desc",
                            Self.expected({ ($0.metrics["auc"] ?? -1) >= 0.85 }, Self.byMetric("auc", descending: true))
                        ),
                        (
                            "alias = \"production\" or tags.stage = \"dev\"",
                            Self.expected { $0.aliases.contains("production") || $0.tags["stage"] == "dev" }
                        ),
                        ("not tags.team = \"risk\"", Self.expected { $0.tags["team"] != "risk" }),
                        ("name ~ \"churn*\"", Self.expected { $0.name.hasPrefix("churn") }),
                        (
                            "name ~ \"churn-?\" order by version desc",
                            Self.expected(
                                { $0.name.hasPrefix("churn-") && $0.name.count == 7 },
                                { a, b in
                                    a.version != b.version ? a.version > b.version : a.index > b.index
                                })
                        ),
                        (
                            "tags.team ~ \"r?sk\" and metrics.auc > 0.8",
                            Self.expected { row in
                                let team = Array(row.tags["team"] ?? "xxxxx")
                                return team.count == 4 && team[0] == "r" && team[2] == "s" && team[3] == "k"
                                    && (row.metrics["auc"] ?? 0) > 0.8
                            }
                        ),
                        (
                            "tags.team ~ \"[a-q]*\"",
                            Self.expected { row in
                                guard let first = row.tags["team"]?.unicodeScalars.first else { return false }
                                return first >= "a" && first <= "q"
                            }
                        ),
                        (
                            "order by metrics.f1 desc",
                            Self.expected({ _ in true }, Self.byMetric("f1", descending: true))
                        ),
                        ("order by metrics.f1", Self.expected({ _ in true }, Self.byMetric("f1", descending: false))),
                        (
                            "alias != \"production\" and name = \"churn-a\"",
                            Self.expected { !$0.aliases.contains("production") && $0.name == "churn-a" }
                        ),
                        (
                            "(tags.team = \"risk\" or metrics.f1 >= 0.7) and not alias ~ \"prod*\" order by name desc limit 3",
                            Array(
                                Self.expected(
                                    { row in
                                        (row.tags["team"] == "risk" || (row.metrics["f1"] ?? 0) >= 0.7)
                                            && !row.aliases.contains { $0.hasPrefix("prod") }
                                    }, { a, b in a.name != b.name ? Self.bytewise(b.name, a.name) : a.index > b.index }
                                ).prefix(3))
                        ),
                        ("name ~ \"[churn\"", []),
                    ]
                    for (query, expected) in cases {
                        let found = try await store.search(ModelQuery.parse(query)).map(\.reference)
                        #expect(found == expected, "\(query)")
                    }
                    // Results carry their tags, metrics and aliases.
                    let production = try await store.search(
                        ModelQuery.parse("alias = \"production\" and name = \"churn-a\""))
                    #expect(production.count == 1)
                    #expect(production.first?.aliases == ["production"] && production.first?.tags["stage"] == "prod")
                    #expect(production.first?.metrics == ["auc": 0.88])
                }
            }
        }
    }
}
