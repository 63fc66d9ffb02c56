import ArgumentParser
import ChurnML

/// `churn profile`: what a careful analyst checks in a customer file before training.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract:
            "Profile a CSV file before training: column roles and why, missing values, ranges, typos, target balance, duplicate ids, leakage.",
        discussion: """
            Reads the file as `churn train` would and reports, without refusing anything: rows and dialect; \
            per column the role inference gives it and why, missing and distinct counts, range and mean or \
            top categories, and values of the wrong type with their lines; the target's balance; id columns \
            whose values repeat; feature columns that alone predict the target with ROC-AUC above 0.99 \
            (suspected leakage); and flags for everything worth a look. Exit status 0 unless the file \
            cannot be read.
            """)

    @Argument(help: "The data file (CSV with a header row).")
    var data: String

    @OptionGroup var table: TableOptions

    @Flag(help: "Print the profile as JSON.")
    var json = false

    func run() throws {
        let bytes = try FileBytes.read(data)
        let parsed = try table.csv.parse(bytes, source: data)
        let overrides = try table.schema.map { try SchemaOverrides.load(path: $0) }
        let profile = DataProfile.make(parsed, target: table.target, overrides: overrides)
        if json {
            try JSONOutput.print(profile)
        } else {
            print(profile.render())
        }
    }
}
