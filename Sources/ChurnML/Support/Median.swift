/// The median of a list of numbers (benchmarks report medians: these machines are noisy).
public enum Median {
    /// The middle value of `values`, the mean of the two middle ones for an even count, 0 when empty.
    public static func of(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
