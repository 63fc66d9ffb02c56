import Hummingbird
import NIOCore
import Wire

/// The training page (`GET /training`, `POST /training`): start a job on a pushed dataset with the
/// main options (token needed when one is configured) and see the recent jobs; each job has its
/// own page (``TrainingJobPage``) with live progress.
struct TrainingPage: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// Who may start jobs.
    let tokens: TokenGuard
    /// Submitting jobs.
    let jobs: JobsAPI

    /// The form's numeric fields: name, label, default, hint, whole numbers only, allowed range.
    static let numberFields:
        [(name: String, label: String, value: String, hint: String, integer: Bool, range: ClosedRange<Double>)] = [
            ("epochs", "Epochs", "100", "passes over the training rows", true, 1...100_000),
            ("batch_size", "Batch size", "32", "rows per gradient step", true, 1...1_000_000),
            ("learning_rate", "Learning rate", "0.001", "Adam step size", false, 1e-7...1),
            (
                "validation_split", "Validation split", "0.1", "share of rows for per-epoch validation (0: none)",
                false, 0...0.9
            ),
            ("seed", "Seed", "0", "same seed, same model", true, 0...4_294_967_295),
        ]

    /// The threshold policies offered: form value and label.
    static let thresholdPolicies: [(value: String, label: String)] = [
        ("fixed:0.5", "fixed at 0.5"), ("f1", "best F1 (catch churners)"), ("profit", "best expected profit"),
    ]

    /// `GET /training`.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        await render(values: [:], errors: [:], notice: "", status: .ok)
    }

    /// `POST /training`: checks the form, submits the job and goes to its page.
    func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        let form = try PageForm(urlEncoded: try await RequestBodies.collect(request, limit: 64 * 1024))
        var errors: [String: String] = [:]
        var options: [String: JobOptionValue] = [:]
        for field in Self.numberFields {
            let text = form[field.name] ?? ""
            guard let value = NumberText.parse(Substring(text)) else {
                errors[field.name] =
                    text.isEmpty ? "enter a number" : "\"\(RowEncoder.short(Substring(text)))\" is not a number"
                continue
            }
            guard field.range.contains(value), !field.integer || value == value.rounded() else {
                errors[field.name] =
                    "a \(field.integer ? "whole number" : "number") from \(NumberText.format(field.range.lowerBound)) to \(NumberText.format(field.range.upperBound))"
                continue
            }
            switch field.name {
            case "learning_rate": options["adam"] = .object(["learning_rate": .double(value)])
            case "validation_split": options[field.name] = .double(value)
            default: options[field.name] = .integer(Int64(value))
            }
        }
        let layersText = form["hidden_layers"] ?? ""
        let layers = layersText.split(separator: ",").map { Int(NumberText.trim($0)) }
        if layers.isEmpty || layers.contains(where: { !(1...4096).contains($0 ?? 0) }) {
            errors["hidden_layers"] = "widths from 1 to 4096, comma-separated, e.g. 6,6"
        } else {
            options["hidden_layers"] = .array(layers.compactMap { $0 }.map { .integer(Int64($0)) })
        }
        let policy = form["threshold_policy"] ?? "fixed:0.5"
        if Self.thresholdPolicies.contains(where: { $0.value == policy }) {
            if policy != "fixed:0.5" { options["threshold_policy"] = .string(policy) }
        } else {
            errors["threshold_policy"] = "choose one of the listed policies"
        }
        let dataset = form["dataset"] ?? ""
        if dataset.isEmpty { errors["dataset"] = "choose a dataset" }
        let model = form["model_name"].map { String(NumberText.trim(Substring($0))) } ?? ""
        if model.isEmpty { errors["model_name"] = "give the model a name" }
        do {
            try tokens.check(form["token"])
        } catch let error as GatewayError {
            errors["token"] = error.message
            return await render(
                values: form.values, errors: errors, notice: HTML.notice("error", HTML.escape(error.message)),
                status: error.status)
        }
        guard errors.isEmpty else {
            return await render(
                values: form.values, errors: errors,
                notice: HTML.notice("error", "Please correct the fields marked below."), status: .badRequest)
        }
        do {
            let job = try await jobs.submit(SubmitJobRequest(dataset: dataset, modelName: model, options: options))
            return Reply.redirect("/training/\(job.id)")
        } catch {
            let failure = GatewayError.from(error, role: "trainer")
            for field in failure.fields {
                let name =
                    field.field.hasPrefix("options.") ? String(field.field.dropFirst("options.".count)) : field.field
                errors[name == "adam.learning_rate" ? "learning_rate" : name] = field.message
            }
            return await render(
                values: form.values, errors: errors,
                notice: HTML.notice("error", "Not started: \(HTML.escape(failure.message))"), status: failure.status)
        }
    }

    /// The form (datasets from the registry) and the recent jobs.
    private func render(values: [String: String], errors: [String: String], notice: String, status: HTTPResponse.Status)
        async -> Response
    {
        var body = "<h1>Train a model</h1>" + notice
        guard backends.trainer != nil else {
            body += HTML.notice(
                "info",
                "This gateway was started without a trainer (<code>--trainer HOST:PORT</code>). Train with <code>churn train</code> and publish with <code>churn models publish</code>."
            )
            return Reply.html(
                HTML.page(title: "Training", active: "/training", body: body), status: .serviceUnavailable)
        }
        let datasets = (try? await backends.withRegistry { try await $0.datasets() }) ?? []
        var names: [String] = []
        for dataset in datasets where !names.contains(dataset.name) { names.append(dataset.name) }
        body += Self.form(datasets: names, values: values, errors: errors, tokenRequired: tokens.isRequired)
        do {
            let recent = try await backends.withTrainer { try await $0.list(limit: 20) }
            body += Self.table(recent)
        } catch {
            body += HTML.notice(
                "error",
                "The trainer cannot be reached: \(HTML.escape(GatewayError.from(error, role: "trainer").message))")
        }
        return Reply.html(HTML.page(title: "Training", active: "/training", body: body), status: status)
    }

    /// The form.
    static func form(datasets: [String], values: [String: String], errors: [String: String], tokenRequired: Bool)
        -> String
    {
        func error(_ name: String) -> String {
            errors[name].map { "<span class=\"field-error\" id=\"error-field-\(name)\">\(HTML.escape($0))</span>" }
                ?? ""
        }
        func invalid(_ name: String) -> String { errors[name] == nil ? "" : " aria-invalid=\"true\"" }
        var html =
            "<form class=\"card\" id=\"training-form\" method=\"post\" action=\"/training\" novalidate><div class=\"form-grid\">"
        if datasets.isEmpty {
            html +=
                "<div class=\"field\"><label>Dataset</label><p class=\"muted\">No dataset yet: <code>churn datasets push FILE.csv --name churn</code></p></div>"
        } else {
            let options = datasets.map { name in
                "<option value=\"\(HTML.escape(name))\"\(values["dataset"] == name ? " selected" : "")>\(HTML.escape(name))</option>"
            }.joined()
            html +=
                "<div class=\"field\"><label for=\"field-dataset\">Dataset</label><select id=\"field-dataset\" name=\"dataset\"\(invalid("dataset"))>\(options)</select><span class=\"hint\">latest push of the name</span>\(error("dataset"))</div>"
        }
        html +=
            "<div class=\"field\"><label for=\"field-model_name\">Model name</label><input id=\"field-model_name\" name=\"model_name\" value=\"\(HTML.escape(values["model_name"] ?? "churn"))\"\(invalid("model_name"))><span class=\"hint\">published as its next version</span>\(error("model_name"))</div>"
        html +=
            "<div class=\"field\"><label for=\"field-hidden_layers\">Hidden layers</label><input id=\"field-hidden_layers\" name=\"hidden_layers\" value=\"\(HTML.escape(values["hidden_layers"] ?? "6,6"))\"\(invalid("hidden_layers"))><span class=\"hint\">widths, comma-separated</span>\(error("hidden_layers"))</div>"
        for field in numberFields {
            html +=
                "<div class=\"field\"><label for=\"field-\(field.name)\">\(field.label)</label><input type=\"number\" step=\"any\" id=\"field-\(field.name)\" name=\"\(field.name)\" value=\"\(HTML.escape(values[field.name] ?? field.value))\"\(invalid(field.name))><span class=\"hint\">\(HTML.escape(field.hint))</span>\(error(field.name))</div>"
        }
        let chosen = values["threshold_policy"] ?? "fixed:0.5"
        let policies = thresholdPolicies.map { policy in
            "<option value=\"\(policy.value)\"\(policy.value == chosen ? " selected" : "")>\(HTML.escape(policy.label))</option>"
        }.joined()
        html +=
            "<div class=\"field\"><label for=\"field-threshold_policy\">Decision threshold</label><select id=\"field-threshold_policy\" name=\"threshold_policy\"\(invalid("threshold_policy"))>\(policies)</select><span class=\"hint\">both F1 and profit thresholds are kept either way</span>\(error("threshold_policy"))</div>"
        if tokenRequired {
            html +=
                "<div class=\"field\"><label for=\"token\">Token</label><input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"off\"\(invalid("token"))>\(error("token"))</div>"
        }
        return html + "</div><p><button type=\"submit\" id=\"train-button\">Start training</button></p></form>"
    }

    /// The recent jobs.
    static func table(_ jobs: [JobRecord]) -> String {
        guard !jobs.isEmpty else {
            return "<section class=\"card\"><h2>Jobs</h2><p class=\"muted\">No job yet.</p></section>"
        }
        var html =
            "<section class=\"card\"><h2>Jobs</h2><table id=\"jobs\"><thead><tr><th>job</th><th>dataset</th><th>model</th><th>state</th><th>progress</th><th>ROC AUC</th><th>submitted</th></tr></thead><tbody>"
        for job in jobs {
            let progress = job.progress.map { "epoch \($0.epoch) of \($0.epochs)" } ?? "–"
            let version = job.result?.modelVersion.map { " v\($0)" } ?? ""
            let auc = job.result?.metrics["roc_auc"].map { NumberText.fixed($0, 4) } ?? "–"
            html +=
                "<tr><td><a href=\"/training/\(job.id)\">#\(job.id)</a></td><td>\(HTML.escape(job.dataset.count > 40 ? String(job.dataset.prefix(40)) + "…" : job.dataset))</td><td>\(HTML.escape(job.modelName))\(version)</td><td>\(TrainingJobPage.badge(job.state))</td><td>\(progress)</td><td class=\"num\">\(auc)</td><td>\(HTML.escape(String(Timestamp.iso8601(millis: job.submittedMillis).prefix(19)).replacingT()))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }
}
