import Testing
import Wire

@testable import Gateway

/// The pages build HTML by concatenation with `HTML.escape` at every insertion (a template engine
/// was weighed and not taken: docs/gateway.md). These tests render the pages that show text the
/// gateway does not control — model names, tags, descriptions, deployment instances, column names,
/// category levels, factor names — with markup in every one, and check none of it arrives as markup.
@Suite("Gateway pages with hostile text")
struct HostileTextTests {
    static let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;"

    /// No raw `<script`, `<img` or attribute break-out from `hostile`; the escaped text is present.
    static func expectEscaped(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.contains("<script>alert"), sourceLocation: sourceLocation)
        #expect(!html.contains("<img src=x"), sourceLocation: sourceLocation)
        #expect(!html.contains("\"><img"), sourceLocation: sourceLocation)
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), sourceLocation: sourceLocation)
    }

    static func version(name: String) -> ModelVersion {
        ModelVersion(
            name: name, version: 3, bundleSHA256: String(repeating: "a", count: 64), bundleSize: 1000,
            datasetSHA256: String(repeating: "b", count: 64), createdMillis: 1_700_000_000_000, description: hostile,
            threshold: 0.5, hyperparameters: "{}", lineage: "{}", tags: [hostile: hostile, "team": hostile],
            metrics: ["roc_auc": 0.8, hostile: 0.5], aliases: [hostile], rowID: 1)
    }

    static let info = ModelInfoResponse(
        model: hostile, version: "3", sha256: String(repeating: "a", count: 64), generation: 1, loadedAtMillis: 0,
        source: hostile, threshold: 0.5, target: hostile, positiveLabel: hostile, unseenPolicy: .modelDefault,
        fields: [
            ModelInfoField(name: hostile, kind: .numeric, valueType: 0, minimum: 0, maximum: 1),
            ModelInfoField(
                name: "Geography", kind: .categorical, valueType: 1, categories: [hostile, "France"], fill: hostile),
        ],
        metrics: [], lineage: [])

    @Test("the model version page: name, description, tags, metric names, aliases and deployments")
    func versionPage() {
        let shown = ModelShowResponse(
            version: Self.version(name: Self.hostile),
            deployments: [
                Deployment(
                    instance: Self.hostile, name: Self.hostile, version: 3, firstSeenMillis: 0, lastSeenMillis: 0)
            ])
        Self.expectEscaped(ModelVersionPage.overview(shown, tokenRequired: true, servedBy: Self.hostile))
    }

    @Test("the models list: a hostile model name, alias and deployment")
    func modelsSection() {
        let html = ModelsPage.section(
            Self.hostile, versions: [Self.version(name: Self.hostile)],
            deployments: [
                Deployment(
                    instance: Self.hostile, name: Self.hostile, version: 3, firstSeenMillis: 0, lastSeenMillis: 0)
            ],
            served: Self.info, predictor: Self.hostile)
        Self.expectEscaped(html)
    }

    @Test("the predict form: hostile column names, category levels, fills and submitted values")
    func predictForm() {
        let html = PredictPage.form(
            Self.info, values: [Self.hostile: Self.hostile, "Geography": Self.hostile],
            errors: [Self.hostile: Self.hostile])
        Self.expectEscaped(html)
    }

    @Test("factor sentences: a hostile column name and value")
    func factorWords() {
        // (`FactorWords.short` is plain text for the CSV download, where CSVField quotes it.)
        let factors = [Scored.Factor(column: Self.hostile, contribution: 0.2)]
        Self.expectEscaped(FactorWords.list(factors, values: [Self.hostile: Self.hostile]))
    }
}
