/// Row indices divided into training, validation and test parts with the same class balance in
/// each part (stratified), chosen by a seeded generator.
public struct StratifiedSplit: Sendable, Equatable {
    /// Rows used to fit the network.
    public var train: [Int]
    /// Rows used for per-epoch validation (early stopping).
    public var validation: [Int]
    /// Rows held out for the final evaluation.
    public var test: [Int]

    /// Splits `labels` (0/1): per class, `round(n · testShare)` rows go to test, then
    /// `round(remaining · validationShare)` to validation, the rest to train. Each part keeps
    /// ascending row order, so results do not depend on the order classes were shuffled in.
    public init(labels: [Float], testShare: Double, validationShare: Double, generator: inout SeededGenerator) {
        var train: [Int] = []
        var validation: [Int] = []
        var test: [Int] = []
        for positive in [false, true] {
            var rows = labels.indices.filter { (labels[$0] >= 0.5) == positive }
            NetworkTrainer.shuffle(&rows, generator: &generator)
            let testCount = Int((Double(rows.count) * testShare).rounded())
            let remaining = rows.count - testCount
            let validationCount = Int((Double(remaining) * validationShare).rounded())
            test += rows[0..<testCount]
            validation += rows[testCount..<(testCount + validationCount)]
            train += rows[(testCount + validationCount)...]
        }
        self.train = train.sorted()
        self.validation = validation.sorted()
        self.test = test.sorted()
    }
}
