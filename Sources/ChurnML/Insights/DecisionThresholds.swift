/// The decision thresholds a training run chose, kept in the bundle (metadata `thresholds`) next to the
/// one it applies (`threshold`), so a team can switch between "catch churners" (F1) and "make money"
/// (profit) without retraining.
public struct DecisionThresholds: Codable, Sendable, Equatable {
    /// The policy that picked the bundle's `threshold`.
    public var policy: ThresholdPolicy
    /// The threshold with the highest F1 on `selectionRows`.
    public var f1: Double
    /// The threshold with the highest profit on `selectionRows` under `economics`.
    public var profit: Double
    /// The assumptions behind `profit`.
    public var economics: RetentionEconomics
    /// Which rows the thresholds were chosen on: `validation` or `training`.
    public var selectedOn: String
    /// How many rows that was.
    public var selectionRows: Int

    /// Assembles the record.
    public init(
        policy: ThresholdPolicy, f1: Double, profit: Double, economics: RetentionEconomics, selectedOn: String,
        selectionRows: Int
    ) {
        self.policy = policy
        self.f1 = f1
        self.profit = profit
        self.economics = economics
        self.selectedOn = selectedOn
        self.selectionRows = selectionRows
    }

    /// Chooses both thresholds on labelled scores.
    ///
    /// - Throws: ``InsightsError/unusableData(_:)`` when the rows hold one class only.
    public static func choose(
        policy: ThresholdPolicy, labels: [Float], scores: [Float], economics: RetentionEconomics, selectedOn: String
    ) throws -> DecisionThresholds {
        guard let ranked = RankedScores.ranking(labels: labels, scores: scores), ranked.positives > 0,
            ranked.negatives > 0
        else {
            throw InsightsError.unusableData(
                "choosing a threshold needs churners and loyal customers among the \(selectedOn) rows (\(labels.count) rows)"
            )
        }
        return DecisionThresholds(
            policy: policy, f1: ThresholdSearch.bestF1(ranked).threshold,
            profit: ThresholdSearch.clamped(
                ProfitCurve.compute(ranked, rows: labels.count, economics: economics).best.threshold),
            economics: economics, selectedOn: selectedOn, selectionRows: labels.count)
    }

    /// The threshold `policy` stands for.
    public var applied: Double {
        switch policy {
        case .f1: f1
        case .profit: profit
        case .fixed(let value): value
        }
    }

    /// Snake-case keys.
    enum CodingKeys: String, CodingKey {
        case policy, f1, profit, economics
        case selectedOn = "selected_on"
        case selectionRows = "selection_rows"
    }
}
