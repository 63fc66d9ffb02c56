import ChurnML
import Hummingbird
import NIOCore
import Wire

/// The predict page (`GET /predict`, `POST /predict`): a form generated from the served model's
/// schema, and the answer as a gauge, label, risk band and factors in plain words. Works without
/// JavaScript; every value is checked before anything is sent to the predictor, and problems are
/// shown next to their field.
struct PredictPage: Sendable {
    /// Checking and scoring.
    let service: PredictionService
    /// Factors shown per prediction.
    static let explain = 5

    /// `GET /predict`: the form with the model's defaults.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        await render { info in
            (Self.form(info, values: Self.defaults(info), errors: [:]), .ok)
        }
    }

    /// `POST /predict`: checks the form, scores it, shows the form again with the answer or the problems.
    func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await RequestBodies.collect(request, limit: 1024 * 1024)
        let form = FormFields(urlEncoded: body)
        let service = service
        return await render { info in
            var values: [String: String] = [:]
            for field in info.fields { values[field.name] = form[field.name] ?? "" }
            var encoder = RowEncoder(fields: info.fields)
            encoder.emptyTextIsMissing = false
            encoder.strictCategories = true
            let encoded = encoder.encode(rowCount: 1) { _, index in
                form[info.fields[index].name].map { .text(Substring($0)) } ?? .absent
            }
            switch encoded {
            case .problems(let problems):
                let errors = Dictionary(
                    problems.map { ($0.column ?? $0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
                let notice = HTML.notice(
                    "error",
                    "Please correct the \(errors.count == 1 ? "field" : "\(errors.count) fields") marked below.")
                return (notice + Self.form(info, values: values, errors: errors), .badRequest)
            case .columns(let columns):
                do {
                    let scored = try await service.score(columns, explain: Self.explain, unseen: .modelDefault)
                    return (Self.result(scored, values: values) + Self.form(info, values: values, errors: [:]), .ok)
                } catch let error as GatewayError {
                    let errors = Dictionary(
                        error.fields.compactMap { item in item.column.map { ($0, item.message) } },
                        uniquingKeysWith: { first, _ in first })
                    return (
                        HTML.notice("error", HTML.escape(error.message))
                            + Self.form(info, values: values, errors: errors), error.status
                    )
                }
            }
        }
    }

    /// The page around `content(info)`, or an error page when the model's schema cannot be had.
    private func render(_ content: (ModelInfoResponse) async throws -> (String, HTTPResponse.Status)) async -> Response
    {
        do {
            let info = try await service.schema()
            let (body, status) = try await content(info)
            let heading =
                "<h1>Will this customer churn?</h1><p class=\"muted\">Model <b>\(HTML.escape(info.model))</b> version \(HTML.escape(info.version)) · predicts <b>\(HTML.escape(info.target))</b> = \(HTML.escape(info.positiveLabel))</p>"
            return Reply.html(HTML.page(title: "Predict", active: "/predict", body: heading + body), status: status)
        } catch {
            let failure = GatewayError.from(error, role: "predictor")
            let body =
                "<h1>Will this customer churn?</h1>"
                + HTML.notice("error", "No prediction possible right now: \(HTML.escape(failure.message))")
            return Reply.html(HTML.page(title: "Predict", active: "/predict", body: body), status: failure.status)
        }
    }

    /// The model's defaults: medians (numbers) and the most frequent levels (categories).
    static func defaults(_ info: ModelInfoResponse) -> [String: String] {
        var values: [String: String] = [:]
        for field in info.fields {
            if field.valueType == PredictColumn.numberType, field.categories.isEmpty {
                values[field.name] = field.numericFill.map(NumberText.format) ?? ""
            } else {
                values[field.name] = field.fill ?? field.categories.first ?? ""
            }
        }
        return values
    }

    /// The form: one input per model column, with hints and problems.
    static func form(_ info: ModelInfoResponse, values: [String: String], errors: [String: String]) -> String {
        var html =
            "<form class=\"card\" id=\"predict-form\" method=\"post\" action=\"/predict\" novalidate><div class=\"form-grid\">"
        for field in info.fields {
            let id = "field-" + HTML.pathSegment(field.name)
            let name = HTML.escape(field.name)
            let value = values[field.name] ?? ""
            let error = errors[field.name]
            let invalid = error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"error-\(id)\""
            html += "<div class=\"field\"><label for=\"\(id)\">\(name)</label>"
            if field.categories.isEmpty {
                html +=
                    "<input type=\"number\" step=\"any\" id=\"\(id)\" name=\"\(name)\" value=\"\(HTML.escape(value))\"\(invalid)>"
                var hint: [String] = []
                if let low = field.minimum, let high = field.maximum {
                    hint.append("training range \(NumberText.format(low)) – \(NumberText.format(high))")
                }
                if let median = field.numericFill { hint.append("median \(NumberText.format(median))") }
                if !hint.isEmpty { html += "<span class=\"hint\">\(HTML.escape(hint.joined(separator: " · ")))</span>" }
            } else {
                html += "<select id=\"\(id)\" name=\"\(name)\"\(invalid)>"
                for category in field.categories {
                    let selected = category == value ? " selected" : ""
                    html +=
                        "<option value=\"\(HTML.escape(category))\"\(selected)>\(HTML.escape(optionLabel(category, field)))</option>"
                }
                if !value.isEmpty, !field.categories.contains(value) {
                    html += "<option value=\"\(HTML.escape(value))\" selected>\(HTML.escape(value))</option>"
                }
                html += "</select>"
                if let fill = field.fill {
                    html += "<span class=\"hint\">most common: \(HTML.escape(optionLabel(fill, field)))</span>"
                }
            }
            if let error { html += "<span class=\"field-error\" id=\"error-\(id)\">\(HTML.escape(error))</span>" }
            html += "</div>"
        }
        return html + "</div><p><button type=\"submit\" id=\"predict-button\">Predict churn</button></p></form>"
    }

    /// `No (0)` / `Yes (1)` for 0/1 levels, the level itself otherwise.
    static func optionLabel(_ category: String, _ field: ModelInfoField) -> String {
        guard field.categories.count == 2, Set(field.categories) == ["0", "1"] else { return category }
        return category == "1" ? "Yes (1)" : "No (0)"
    }

    /// The answer: gauge, probability, label, risk band, factors in words and as bars.
    static func result(_ scored: Scored, values: [String: String]) -> String {
        guard let probability = scored.probabilities.first, let label = scored.labels.first else { return "" }
        let band = RiskBand(probability: Double(probability), threshold: scored.threshold)
        let verdict = label ? "Likely to churn" : "Likely to stay"
        let factors = scored.factors.first ?? []
        var html = """
            <section class="card" id="result"><div class="result">
            \(GaugeChart(probability: Double(probability), threshold: scored.threshold).render())
            <div><div class="big" id="probability" data-probability="\(probability)">\(NumberText.fixed(Double(probability) * 100, 2))%</div>
            <div>churn probability</div>
            <p><b id="label">\(verdict)</b> <span class="badge" id="risk" style="background:\(band.color)">\(band.rawValue) risk</span></p>
            <p class="muted">model \(HTML.escape(scored.model)) version \(HTML.escape(scored.version)) · churn from \(NumberText.percent(scored.threshold))</p></div>
            </div>
            """
        if !factors.isEmpty {
            html +=
                "<h2>What drives it</h2>" + FactorChart(factors: factors).render()
                + FactorWords.list(factors, values: values)
        }
        return html + "</section>"
    }
}
