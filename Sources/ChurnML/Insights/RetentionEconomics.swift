/// The money side of a retention campaign: what an offer costs, what a kept customer is worth, and
/// how often an offer keeps a customer who would otherwise have left.
///
/// Targeting a customer with churn probability `p` is expected to earn `p · saveRate · customerValue −
/// offerCost`: the offer is paid for everyone targeted, and it pays back only for the churners it saves.
/// Loyal customers who get an offer cost its price and gain nothing (they would have stayed anyway).
///
/// The defaults are illustrative — an offer (a fee waiver, a better rate) costing 100, a kept customer
/// worth 1,000 (several years of margin), and one targeted churner in three kept — so that targeting
/// pays from a churn probability of 30 % up. Set your own with `--offer-cost`, `--customer-value` and
/// `--save-rate`.
public struct RetentionEconomics: Codable, Sendable, Equatable {
    /// Cost of one retention offer, paid for every targeted customer (currency units).
    public var offerCost: Double
    /// Value of a customer kept who would otherwise have left (currency units).
    public var customerValue: Double
    /// Share of targeted churners the offer keeps, in (0, 1].
    public var saveRate: Double

    /// The documented defaults: offer 100, customer 1,000, save rate 1/3.
    public static let defaults = RetentionEconomics(offerCost: 100, customerValue: 1_000, saveRate: 1.0 / 3.0)

    /// Assembles the assumptions; call ``validate()`` before use on user input.
    public init(offerCost: Double, customerValue: Double, saveRate: Double) {
        self.offerCost = offerCost
        self.customerValue = customerValue
        self.saveRate = saveRate
    }

    /// Expected profit of targeting one customer whose churn probability is `probability`.
    @inline(__always)
    public func expectedValue(probability: Double) -> Double {
        probability * saveRate * customerValue - offerCost
    }

    /// Profit of targeting a group in which `churners` of `targeted` customers really churn.
    public func profit(targeted: Int, churners: Int) -> Double {
        Double(churners) * saveRate * customerValue - Double(targeted) * offerCost
    }

    /// The churn probability from which targeting pays (expected value ≥ 0) when probabilities are
    /// calibrated: `offerCost / (saveRate · customerValue)`; above 1 nobody is worth an offer.
    public var breakEvenProbability: Double {
        offerCost / (saveRate * customerValue)
    }

    /// Checks every value and names the first one out of range.
    public func validate() throws {
        guard offerCost.isFinite, offerCost >= 0 else {
            throw InsightsError.invalidOption(option: "offer-cost", message: "must be a number ≥ 0, got \(offerCost)")
        }
        guard customerValue.isFinite, customerValue > 0 else {
            throw InsightsError.invalidOption(
                option: "customer-value", message: "must be a number > 0, got \(customerValue)")
        }
        guard saveRate.isFinite, saveRate > 0, saveRate <= 1 else {
            throw InsightsError.invalidOption(option: "save-rate", message: "must be in (0, 1], got \(saveRate)")
        }
    }

    /// Decodes the assumptions; a missing key takes its default (so `{"offer_cost": 50}` is enough).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RetentionEconomics.defaults
        offerCost = try container.decodeIfPresent(Double.self, forKey: .offerCost) ?? defaults.offerCost
        customerValue = try container.decodeIfPresent(Double.self, forKey: .customerValue) ?? defaults.customerValue
        saveRate = try container.decodeIfPresent(Double.self, forKey: .saveRate) ?? defaults.saveRate
    }

    /// Snake-case keys, as in bundles and JSON output.
    enum CodingKeys: String, CodingKey {
        case offerCost = "offer_cost"
        case customerValue = "customer_value"
        case saveRate = "save_rate"
    }
}
