import ArgumentParser
import ChurnML
import Foundation

/// `churn score`: ranks customers for a retention campaign — probability, risk band, top factors in
/// words and the expected value of an offer — best prospects first, with a campaign summary.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Rank customers for a retention campaign: who to offer what, and what it is worth.",
        discussion: """
            Writes every customer of CUSTOMERS.csv to --out, sorted by the expected value of targeting them,
            p · save-rate · customer-value − offer-cost, with their churn probability, risk band and strongest
            factors. Prints how many customers are worth an offer (expected value > 0), the churners they hold
            and the campaign's expected profit. --value-column takes each customer's value from a column
            (e.g. Balance) instead of one value for all.
            """)

    @Argument(help: "The model bundle.")
    var model: String

    @Argument(
        help: "Customers to score (CSV with the model's columns; extra columns such as ids are kept for the output).")
    var customers: String

    @Option(help: "Where to write the ranked customers (CSV).")
    var out: String

    @OptionGroup(title: "Retention economics")
    var economics: EconomicsOptions

    @Option(
        name: .customLong("value-column"),
        help: ArgumentHelp(
            "A numeric column holding each customer's value; missing values take --customer-value.", valueName: "column"
        ))
    var valueColumn: String?

    @Option(help: "Factors per customer (0 to skip the explanations).")
    var factors: Int = 3

    @Option(help: "Threads explaining rows in parallel.")
    var threads: Int = 2

    @Option(help: "What to do with categories unseen in training: zeros or error.")
    var unseen: UnseenCategoryPolicy?

    @OptionGroup var csv: CSVOptions

    @Flag(help: "Print the summary (and the seconds each phase took) as JSON.")
    var json = false

    func validate() throws {
        if factors < 0 || factors > 64 { throw ValidationError("--factors must be between 0 and 64, got \(factors)") }
        if threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    func run() throws {
        let economics = try economics.economics()
        let (ranking, timing) = try ScoreRun(
            model: model, customers: customers, out: out, economics: economics, valueColumn: valueColumn,
            factors: factors,
            threads: threads, unseen: unseen, csv: try csv.readOptions()
        ).execute()
        if json {
            try JSONOutput.print(ScoreOutput(summary: ranking.summary, output: out, seconds: timing))
            return
        }
        let summary = ranking.summary
        print(
            """
            target \(GroupedNumber.text(summary.targeted)) of \(GroupedNumber.text(summary.customers)) customers (expected value > 0): \
            they hold \(GroupedNumber.text(summary.expectedChurnersReached)) of \(GroupedNumber.text(summary.expectedChurners)) expected churners; \
            the offer keeps about \(GroupedNumber.text(summary.expectedSaved)); expected profit \(GroupedNumber.text(summary.expectedProfit))
            """)
        print(
            "assumptions: offer \(ColumnData.format(economics.offerCost)), customer value \(valueColumn.map { "from \($0) (else \(ColumnData.format(economics.customerValue)))" } ?? ColumnData.format(economics.customerValue)), save rate \(ProgressBar.format(economics.saveRate, digits: 3))"
        )
        print(
            "wrote \(out) (\(GroupedNumber.text(summary.customers)) customers, best prospects first) in \(ProgressBar.format(timing.total, digits: 2)) s"
        )
        for warning in ranking.warnings.prefix(10) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
    }
}

/// `churn score --json`.
struct ScoreOutput: Encodable {
    var summary: CampaignSummary
    var output: String
    var seconds: ScoreTiming
}
