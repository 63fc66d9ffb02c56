import ArgumentParser
import ChurnML

/// The retention-campaign assumptions shared by `churn train`, `churn score` and `churn report`
/// (see ``RetentionEconomics``; defaults: offer 100, customer 1000, save rate 1/3).
struct EconomicsOptions: ParsableArguments {
    @Option(
        name: .customLong("offer-cost"),
        help: ArgumentHelp(
            "Cost of one retention offer, paid for every customer targeted (default 100).", valueName: "C"))
    var offerCost: Double?

    @Option(
        name: .customLong("customer-value"),
        help: ArgumentHelp(
            "Value of keeping a customer who would have left (default 1000).", valueName: "V"))
    var customerValue: Double?

    @Option(
        name: .customLong("save-rate"),
        help: ArgumentHelp(
            "Share of targeted churners the offer keeps, in (0, 1] (default 0.3333).", valueName: "R"))
    var saveRate: Double?

    /// Whether any of the options was given.
    var isSet: Bool { offerCost != nil || customerValue != nil || saveRate != nil }

    /// The assumptions, defaults filled in, validated.
    func economics() throws -> RetentionEconomics {
        let defaults = RetentionEconomics.defaults
        let economics = RetentionEconomics(
            offerCost: offerCost ?? defaults.offerCost, customerValue: customerValue ?? defaults.customerValue,
            saveRate: saveRate ?? defaults.saveRate)
        do {
            try economics.validate()
        } catch let error as InsightsError {
            throw ValidationError(error.description)
        }
        return economics
    }
}

extension ThresholdPolicy: ExpressibleByArgument {
    /// Parses `f1`, `profit` or `fixed:X`.
    public init?(argument: String) {
        try? self.init(parsing: argument)
    }
}
