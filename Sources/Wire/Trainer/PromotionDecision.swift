/// What a job's promotion policy decided, with the numbers it decided on (wire.md §14).
public struct PromotionDecision: Codable, Sendable, Equatable {
    /// The policy applied.
    public var policy: PromotionPolicy
    /// The metric compared (e.g. `roc_auc`).
    public var metric: String
    /// Whether `production` now points at the new version.
    public var promoted: Bool
    /// The new version's value of `metric` on the held-out rows.
    public var newValue: Double?
    /// The version `production` pointed at before, if any.
    public var productionVersion: Int?
    /// That version's value of `metric` on the same held-out rows, if it could be evaluated.
    public var productionValue: Double?
    /// Why, in one sentence.
    public var reason: String

    public init(
        policy: PromotionPolicy, metric: String, promoted: Bool, newValue: Double?, productionVersion: Int?,
        productionValue: Double?, reason: String
    ) {
        self.policy = policy
        self.metric = metric
        self.promoted = promoted
        self.newValue = newValue
        self.productionVersion = productionVersion
        self.productionValue = productionValue
        self.reason = reason
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case policy, metric, promoted
        case newValue = "new_value"
        case productionVersion = "production_version"
        case productionValue = "production_value"
        case reason
    }

    /// Encodes every key, writing `null` for absent numbers instead of leaving the key out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(metric, forKey: .metric)
        try container.encode(promoted, forKey: .promoted)
        try container.encode(newValue, forKey: .newValue)
        try container.encode(productionVersion, forKey: .productionVersion)
        try container.encode(productionValue, forKey: .productionValue)
        try container.encode(reason, forKey: .reason)
    }
}
