import Foundation
import Testing

@testable import Registry

/// What the test itself knows about each published version, to filter and sort naively.
private struct Known {
    var name: String
    var version: Int
    /// Publication order (0, 1, …).
    var order: Int
    var metrics: [String: Double]
    var tags: [String: String]
    var aliases: Set<String>
    var dataset: String
    var created: Int64
}

/// A naive sort key: a number, a string, or missing (missing sorts last either way).
private enum NaiveKey {
    case number(Double?)
    case text(String?)
}

@Suite("Query language: search results match a naive filter")
struct QuerySearchTests {
    /// Dataset digest of every fifth version.
    static let datasetA = String(repeating: "a1", count: 32)
    /// Dataset digest of the others.
    static let datasetB = String(repeating: "b2", count: 32)
    /// The clock step between publishes.
    static let sixHours: Int64 = 6 * 3_600_000
    /// One day in milliseconds.
    static let day: Int64 = 86_400_000

    /// Publishes 30 versions over 3 names, one every 6 hours from 2026-01-01T00:00Z, with varied
    /// metrics (some without roc_auc), tags (some without `stage`), datasets and aliases.
    private func populate(_ store: RegistryStore) async throws -> [Known] {
        let names = ["bank", "telco", "retail"]
        var known: [Known] = []
        var nextVersion: [String: Int] = [:]
        for index in 0..<30 {
            let name = names[index % 3]
            let roc: Double? = index % 7 == 6 ? nil : 0.70 + Double((index * 8) % 29) / 100
            let accuracy = [0.7, 0.8, 0.9][(index / 3) % 3]
            var tags = ["team": index % 2 == 0 ? "risk" : "growth"]
            if index % 4 == 0 { tags["stage"] = "candidate" }
            let dataset = index % 5 == 0 ? Self.datasetA : Self.datasetB
            let published = try await store.publishModel(
                name: name, bundle: RegistryFixtures.bundle(rocAUC: roc, accuracy: accuracy, dataset: dataset),
                tags: tags)
            nextVersion[name, default: 0] += 1
            #expect(published.version == nextVersion[name])
            var metrics = [
                "accuracy": accuracy, "precision": 0.5, "recall": 0.5, "f1": 0.5, "log_loss": 0.6, "brier": 0.2,
            ]
            if let roc {
                metrics["roc_auc"] = roc
                metrics["pr_auc"] = roc / 2
            }
            known.append(
                Known(
                    name: name, version: published.version, order: index, metrics: metrics, tags: tags, aliases: [],
                    dataset: dataset, created: SteppingClock.start + Int64(index) * Self.sixHours))
        }
        for (name, version, alias) in [("bank", 2, "production"), ("bank", 3, "staging"), ("telco", 1, "production")] {
            try await store.setAlias(name: name, alias: alias, version: version)
            if let position = known.firstIndex(where: { $0.name == name && $0.version == version }) {
                known[position].aliases.insert(alias)
            }
        }
        return known
    }

    /// Filters and sorts `known` the slow, obvious way: keys in order, missing values last, ties
    /// by publication order in the direction of the first key; no keys means name, then version.
    private func naive(
        _ known: [Known], where predicate: (Known) -> Bool, orderBy keys: [(Known) -> NaiveKey] = [],
        descending: [Bool] = [], limit: Int = 100, offset: Int = 0
    ) -> [String] {
        let matching = known.filter(predicate)
        let sorted = matching.sorted { left, right in
            if keys.isEmpty {
                return (left.name, left.version) < (right.name, right.version)
            }
            for (index, key) in keys.enumerated() {
                let down = descending[index]
                switch (key(left), key(right)) {
                case (.number(let a), .number(let b)):
                    if a == b { continue }
                    guard let a else { return false }
                    guard let b else { return true }
                    return down ? a > b : a < b
                case (.text(let a), .text(let b)):
                    if a == b { continue }
                    guard let a else { return false }
                    guard let b else { return true }
                    return down
                        ? Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) == false
                        : Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
                default:
                    continue
                }
            }
            return descending.first == true ? left.order > right.order : left.order < right.order
        }
        return sorted.dropFirst(offset).prefix(limit).map { "\($0.name)@\($0.version)" }
    }

    @Test("filters, precedence, ordering and paging agree with the naive filter", arguments: StoreKind.all)
    func agreesWithNaiveFilter(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind, clock: SteppingClock(step: Self.sixHours).read)
        defer { registry.remove() }
        let store = registry.store
        let known = try await populate(store)
        let roc: (Known) -> NaiveKey = { .number($0.metrics["roc_auc"]) }
        let start = SteppingClock.start

        let cases: [(String, [String])] = [
            ("name = \"bank\"", naive(known, where: { $0.name == "bank" })),
            ("", naive(known, where: { _ in true })),
            (
                "name = \"bank\" and metrics.roc_auc >= 0.86 order by created desc limit 5",
                naive(
                    known, where: { $0.name == "bank" && ($0.metrics["roc_auc"] ?? -1) >= 0.86 },
                    orderBy: [{ .number(Double($0.created)) }], descending: [true], limit: 5)
            ),
            (
                "metrics.roc_auc >= 0.86 order by metrics.roc_auc desc limit 10",
                naive(
                    known, where: { ($0.metrics["roc_auc"] ?? -1) >= 0.86 }, orderBy: [roc], descending: [true],
                    limit: 10)
            ),
            (
                "metrics.roc_auc >= 0.75 and metrics.roc_auc <= 0.9 order by metrics.roc_auc asc",
                naive(
                    known, where: { $0.metrics["roc_auc"].map { $0 >= 0.75 && $0 <= 0.9 } ?? false }, orderBy: [roc],
                    descending: [false])
            ),
            (
                "metrics.roc_auc < 0.8 or tags.team = \"growth\" and metrics.accuracy >= 0.8",
                naive(
                    known,
                    where: {
                        ($0.metrics["roc_auc"].map { $0 < 0.8 } ?? false)
                            || ($0.tags["team"] == "growth" && ($0.metrics["accuracy"] ?? 0) >= 0.8)
                    })
            ),
            (
                "(metrics.roc_auc < 0.8 or tags.team = \"growth\") and metrics.accuracy >= 0.8",
                naive(
                    known,
                    where: {
                        (($0.metrics["roc_auc"].map { $0 < 0.8 } ?? false) || $0.tags["team"] == "growth")
                            && ($0.metrics["accuracy"] ?? 0) >= 0.8
                    })
            ),
            ("not tags.stage = \"candidate\"", naive(known, where: { $0.tags["stage"] != "candidate" })),
            (
                "tags.stage != \"candidate\"",
                naive(known, where: { $0.tags["stage"].map { $0 != "candidate" } ?? false })
            ),
            ("metrics.roc_auc != 0.78", naive(known, where: { $0.metrics["roc_auc"].map { $0 != 0.78 } ?? false })),
            ("metrics.nothing > 0", []),
            ("alias = \"production\"", naive(known, where: { $0.aliases.contains("production") })),
            (
                "alias != production and name = bank",
                naive(known, where: { !$0.aliases.contains("production") && $0.name == "bank" })
            ),
            ("alias ~ \"*ing\"", naive(known, where: { $0.aliases.contains("staging") })),
            ("dataset = \"A1A1\"", naive(known, where: { $0.dataset == Self.datasetA })),
            ("dataset != \"b2\"", naive(known, where: { $0.dataset != Self.datasetB })),
            (
                "created >= \"2026-01-03\" and created < \"2026-01-05\"",
                naive(known, where: { $0.created >= start + 2 * Self.day && $0.created < start + 4 * Self.day })
            ),
            (
                "created = \"2026-01-02\"",
                naive(known, where: { $0.created >= start + Self.day && $0.created < start + 2 * Self.day })
            ),
            ("created <= \"2026-01-02\"", naive(known, where: { $0.created < start + 2 * Self.day })),
            (
                "created > \"2026-01-02T06:00:00Z\"",
                naive(known, where: { $0.created >= start + Self.day + Self.sixHours + 1000 })
            ),
            (
                "version >= 5 and version != 7 order by version desc, name asc",
                naive(
                    known, where: { $0.version >= 5 && $0.version != 7 },
                    orderBy: [{ .number(Double($0.version)) }, { .text($0.name) }], descending: [true, false])
            ),
            (
                "name ~ \"*e*\" order by metrics.roc_auc asc limit 7 offset 2",
                naive(known, where: { $0.name.contains("e") }, orderBy: [roc], descending: [false], limit: 7, offset: 2)
            ),
            (
                "order by metrics.roc_auc desc limit 30",
                naive(known, where: { _ in true }, orderBy: [roc], descending: [true], limit: 30)
            ),
            (
                "order by tags.stage desc, version asc limit 12",
                naive(
                    known, where: { _ in true },
                    orderBy: [{ .text($0.tags["stage"]) }, { .number(Double($0.version)) }],
                    descending: [true, false], limit: 12)
            ),
            (
                "tags.team ~ \"r*\" or not (version > 2) order by name desc, created asc",
                naive(
                    known, where: { $0.tags["team"] == "risk" || !($0.version > 2) },
                    orderBy: [{ .text($0.name) }, { .number(Double($0.created)) }], descending: [true, false])
            ),
        ]
        for (query, expected) in cases {
            let found = try await store.search(query)
            #expect(found.map(\.reference) == expected, "\(query)")
        }
        // Every result carries the aliases that point at it, and its tags and metrics.
        let production = try await store.search("alias = production order by name")
        #expect(production.map(\.aliases) == [["production"], ["production"]])
        let bank3 = try #require(try await store.search("name = bank and version = 3").first)
        #expect(bank3.aliases == ["staging"])
        let expected3 = try #require(known.first { $0.name == "bank" && $0.version == 3 })
        #expect(bank3.tags == expected3.tags && bank3.metrics == expected3.metrics)
        await #expect(throws: QueryError.self) { try await store.search("name = ") }
    }
}
