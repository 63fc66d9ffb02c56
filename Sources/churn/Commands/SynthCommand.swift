import ArgumentParser
import ChurnML

/// `churn synth`: writes a synthetic bank-churn table with the reference dataset's columns.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate synthetic bank customers with realistic churn relationships.",
        discussion:
            "The columns match the Kaggle bank-churn file (target Exited); the same seed always gives the same bytes.")

    @Option(help: "Number of customers.")
    var rows: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Output CSV file.")
    var out: String

    func validate() throws {
        guard rows >= 1, rows <= 100_000_000 else {
            throw ValidationError("--rows must be between 1 and 100000000, got \(rows)")
        }
    }

    func run() throws {
        try SyntheticBankData.write(rows: rows, seed: seed, to: out)
        print("wrote \(rows) rows to \(out)")
    }
}
