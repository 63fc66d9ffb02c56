import ChurnML
import Foundation

/// The dialect and data profile of a dataset record as text for `churn datasets show`.
enum DatasetProfileText {
    /// `dialect:     comma-separated, UTF-8` from the record's dialect JSON (the raw JSON when it does not
    /// decode; `not recorded` for datasets pushed before registries recorded it).
    static func dialectLine(_ json: String?) -> String {
        guard let json else { return "dialect:     not recorded" }
        guard let dialect = try? JSONDecoder().decode(CSVDialect.self, from: Data(json.utf8)) else {
            return "dialect:     \(json)"
        }
        return "dialect:     \(dialect.description)"
    }

    /// The profile as `churn profile` prints it, under a `profile:` heading. `nil` JSON (an old record)
    /// says it was not recorded; JSON that does not decode is printed as it is.
    static func render(_ json: String?) -> String {
        guard let json else { return "profile:     not recorded (pushed before the registry kept profiles)" }
        guard let profile = try? JSONDecoder().decode(DataProfile.self, from: Data(json.utf8)) else {
            return "profile:     \(json)"
        }
        return "profile:\n" + profile.render()
    }
}
