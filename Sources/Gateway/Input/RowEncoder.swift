import ChurnML
import Wire

/// Turns rows of customer values into Predict columns for the served model's fields, checking
/// every value against the field's type first, so that nothing malformed reaches the predictor and
/// every problem is reported with its row and column.
struct RowEncoder {
    /// One value as it arrived.
    enum Input {
        /// A JSON value (the API).
        case json(JSONValue)
        /// Text typed or uploaded by a person (form, CSV).
        case text(Substring)
        /// The row has no such key / the form no such field.
        case absent
    }

    /// The model's input columns (ModelInfo).
    let fields: [ModelInfoField]
    /// Text input: whether an empty value means "missing" (imputed by the model, as in a CSV) or is
    /// an error (a form field left empty).
    var emptyTextIsMissing = true
    /// Whether a category the model does not know is an error here (form dropdowns) or left to the
    /// predictor's unseen-category policy (API, CSV).
    var strictCategories = false
    /// At most this many problems are reported.
    var maxErrors = 50

    /// The encoded columns (one per field, in field order), or every problem found (up to `maxErrors`).
    /// `value(row, fieldIndex)` gives the input; `place(row, column)` names the field in errors.
    func encode(
        rowCount: Int, value: (Int, Int) -> Input, place: (Int, String) -> FieldError = { .row($0, $1, "") }
    ) -> Outcome {
        var errors: [FieldError] = []
        var columns: [PredictColumn] = []
        columns.reserveCapacity(fields.count)
        for (fieldIndex, field) in fields.enumerated() {
            if field.valueType == PredictColumn.numberType {
                var numbers = [Double?](repeating: nil, count: rowCount)
                for row in 0..<rowCount where errors.count < maxErrors {
                    switch number(value(row, fieldIndex), field) {
                    case .success(let number): numbers[row] = number
                    case .failure(let message): errors.append(located(place(row, field.name), message))
                    }
                }
                columns.append(.numbers(field.name, numbers))
            } else {
                var texts = [String?](repeating: nil, count: rowCount)
                for row in 0..<rowCount where errors.count < maxErrors {
                    switch text(value(row, fieldIndex), field) {
                    case .success(let text): texts[row] = text
                    case .failure(let message): errors.append(located(place(row, field.name), message))
                    }
                }
                columns.append(.texts(field.name, texts))
            }
        }
        return errors.isEmpty ? .columns(columns) : .problems(errors)
    }

    /// The result of ``encode(rowCount:value:place:)``.
    enum Outcome {
        /// Every value fits: one column per field.
        case columns([PredictColumn])
        /// The problems found.
        case problems([FieldError])
    }

    /// A message as a failure value.
    struct Problem: Error {
        var message: String
    }

    private func located(_ place: FieldError, _ problem: Problem) -> FieldError {
        var error = place
        error.message = problem.message
        return error
    }

    private func number(_ input: Input, _ field: ModelInfoField) -> Result<Double?, Problem> {
        switch input {
        case .json(.number(let value)):
            return checkedLevel(value.double, field)
        case .json(.null):
            return .success(nil)
        case .json(let other):
            return .failure(Problem(message: "expected a number, got \(other.described)"))
        case .text(let text):
            if NumberText.trim(text).isEmpty {
                return emptyTextIsMissing ? .success(nil) : .failure(Problem(message: "enter a number"))
            }
            guard let value = NumberText.parse(text) else {
                return .failure(Problem(message: "\"\(Self.short(text))\" is not a number"))
            }
            return checkedLevel(value, field)
        case .absent:
            return .failure(
                Problem(
                    message: "missing: give a number"
                        + (emptyTextIsMissing ? " (or null to use the training median)" : "")))
        }
    }

    /// A number for a numeric-level binary field must be one of its levels when categories are strict.
    private func checkedLevel(_ value: Double, _ field: ModelInfoField) -> Result<Double?, Problem> {
        if strictCategories, !field.categories.isEmpty,
            !field.categories.contains(where: { NumberText.parse(Substring($0)) == value })
        {
            return .failure(Problem(message: "choose one of \(field.categories.joined(separator: ", "))"))
        }
        return .success(value)
    }

    private func text(_ input: Input, _ field: ModelInfoField) -> Result<String?, Problem> {
        let choices = field.categories.isEmpty ? "" : " (one of \(field.categories.prefix(12).joined(separator: ", ")))"
        switch input {
        case .json(.string(let value)):
            return checkedCategory(value, field)
        case .json(.number(let value)):
            return checkedCategory(NumberText.format(value.double), field)
        case .json(.null):
            return .success(nil)
        case .json(let other):
            return .failure(Problem(message: "expected text\(choices), got \(other.described)"))
        case .text(let text):
            if text.isEmpty {
                return emptyTextIsMissing ? .success(nil) : .failure(Problem(message: "choose a value\(choices)"))
            }
            return checkedCategory(String(text), field)
        case .absent:
            return .failure(Problem(message: "missing: give text\(choices)" + (emptyTextIsMissing ? " or null" : "")))
        }
    }

    private func checkedCategory(_ value: String, _ field: ModelInfoField) -> Result<String?, Problem> {
        if strictCategories, !field.categories.isEmpty, !field.categories.contains(value) {
            return .failure(
                Problem(
                    message:
                        "\"\(Self.short(Substring(value)))\" is not one of \(field.categories.joined(separator: ", "))")
            )
        }
        return .success(value)
    }

    /// At most 40 characters of `text`, for messages.
    static func short(_ text: Substring) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : String(text)
    }
}
