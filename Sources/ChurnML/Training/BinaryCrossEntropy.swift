#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Binary cross-entropy as Keras reports it: probabilities clipped to `[1e-7, 1 − 1e-7]`.
public enum BinaryCrossEntropy {
    /// Mean loss over all rows (0 for no rows).
    public static func mean(labels: [Float], probabilities: [Float]) -> Double {
        guard !labels.isEmpty else { return 0 }
        var sum = 0.0
        for (label, probability) in zip(labels, probabilities) {
            let p = min(max(Double(probability), 1e-7), 1 - 1e-7)
            let y = Double(label)
            sum -= y * log(p) + (1 - y) * log(1 - p)
        }
        return sum / Double(labels.count)
    }
}
