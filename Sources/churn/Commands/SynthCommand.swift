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

    @Option(help: "Make customers this many years older (a drifted population; churn follows the new ages).")
    var ageShift: Int = 0

    @Option(help: "The first row (1-based) --age-shift applies to; the rows before it are unchanged.")
    var shiftFrom: Int = 1

    func validate() throws {
        guard rows >= 1, rows <= 100_000_000 else {
            throw ValidationError("--rows must be between 1 and 100000000, got \(rows)")
        }
        guard abs(ageShift) <= 74 else {
            throw ValidationError("--age-shift must be between -74 and 74, got \(ageShift)")
        }
        guard shiftFrom >= 1 else { throw ValidationError("--shift-from must be at least 1, got \(shiftFrom)") }
    }

    func run() throws {
        try SyntheticBankData.write(rows: rows, seed: seed, ageShift: ageShift, shiftFrom: shiftFrom, to: out)
        print("wrote \(rows) rows to \(out)")
    }
}
