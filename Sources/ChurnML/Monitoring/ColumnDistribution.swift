/// How one input column (or the score) was distributed in training, as the bins a live window is
/// counted into and compared with (``PopulationStability``).
///
/// Numbers: up to ten quantile bins of the training values, cut at the deciles (repeated cut points
/// merged, so a column of few distinct values gets fewer bins): a value `v` falls in the first bin
/// whose upper edge is at least `v`, or in the last. Categories: the most frequent training values
/// (at most ``maxCategories``), then one bin for every other value. Both end with a bin for missing
/// values. `shares` holds the training share of each bin and sums to 1.
public struct ColumnDistribution: Codable, Sendable, Equatable {
    /// The column's name (`score` for the model's output).
    public var name: String
    /// Upper edges of the number bins but the last (nil for a category column).
    public var edges: [Double]?
    /// The categories with a bin of their own (nil for a number column).
    public var categories: [String]?
    /// Training share of each bin: the number or category bins, then (categories only) `other`,
    /// then `missing`.
    public var shares: [Double]

    /// Most categories with a bin of their own.
    public static let maxCategories = 30
    /// Quantile bins of a number column at most.
    public static let numberBins = 10

    /// Creates a distribution from its parts.
    public init(name: String, edges: [Double]?, categories: [String]?, shares: [Double]) {
        self.name = name
        self.edges = edges
        self.categories = categories
        self.shares = shares
    }

    /// Bins: the value bins, `other` for categories, and `missing`.
    public var binCount: Int { shares.count }

    /// The bin of a number (nil or NaN: missing). A category column bins it as its text
    /// (``ColumnData/format(_:)``), as training saw a numeric category such as `HasCrCard`.
    public func bin(_ value: Double?) -> Int {
        guard let value, !value.isNaN else { return binCount - 1 }
        guard let edges else { return bin(ColumnData.format(value)) }
        var low = 0
        var high = edges.count
        while low < high {  // the first edge ≥ value
            let middle = (low + high) / 2
            if edges[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The bin of a text value (nil: missing). A number column bins the number it reads as, or
    /// counts text that is no number as missing.
    public func bin(_ value: String?) -> Int {
        guard let value else { return binCount - 1 }
        guard let categories else { return bin(Double(value)) }
        return categories.firstIndex(of: value) ?? categories.count
    }

    /// The distribution of numbers: decile bins.
    public static func numbers(_ name: String, _ values: [Double?]) -> ColumnDistribution {
        let present = values.compactMap { $0 }.filter { !$0.isNaN }.sorted()
        var edges: [Double] = []
        if !present.isEmpty {
            for decile in 1..<numberBins {
                // The lower empirical quantile: the value at rank ⌈n·q⌉ (1-based).
                let rank = max(1, Int((Double(present.count) * Double(decile) / Double(numberBins)).rounded(.up)))
                let edge = present[rank - 1]
                if edges.last != edge && edge < present[present.count - 1] { edges.append(edge) }
            }
        }
        var distribution = ColumnDistribution(
            name: name, edges: edges, categories: nil, shares: Array(repeating: 0, count: edges.count + 2))
        distribution.shares = distribution.shares(of: values.map { distribution.bin($0) })
        return distribution
    }

    /// The distribution of text values (or numbers read as categories, formatted): the most
    /// frequent first, ties in first-seen order.
    public static func categories(_ name: String, _ values: [String?]) -> ColumnDistribution {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for case let value? in values {
            if counts[value] == nil { order.append(value) }
            counts[value, default: 0] += 1
        }
        let ranked = order.enumerated().sorted { lhs, rhs in
            let (left, right) = (counts[lhs.element] ?? 0, counts[rhs.element] ?? 0)
            return left != right ? left > right : lhs.offset < rhs.offset
        }
        let categories = ranked.prefix(maxCategories).map(\.element)
        var distribution = ColumnDistribution(
            name: name, edges: nil, categories: categories, shares: Array(repeating: 0, count: categories.count + 2))
        distribution.shares = distribution.shares(of: values.map { distribution.bin($0) })
        return distribution
    }

    /// The share of each bin among `bins` (all zero when there are none).
    func shares(of bins: [Int]) -> [Double] {
        var counts = [Int](repeating: 0, count: binCount)
        for bin in bins { counts[bin] += 1 }
        let total = Double(max(bins.count, 1))
        return counts.map { Double($0) / total }
    }
}
