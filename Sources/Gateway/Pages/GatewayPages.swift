import Hummingbird

extension Gateway {
    /// The HTML routes: `/` (→ `/predict`), `/predict`, `/batch`, `/models`, `/models/{name}/{version}`, `/training`.
    func addPages(to router: Router<BasicRequestContext>, registry: RegistryAPI) {
        router.get("/") { _, _ in Reply.redirect("/predict") }
        let predict = PredictPage(service: predictions)
        router.get("predict", use: predict.show)
        router.post("predict", use: predict.submit)
        let batch = BatchPage(service: predictions, batches: batches, configuration: configuration)
        router.get("batch", use: batch.show)
        router.post("batch", use: batch.submit)
        router.get("batch/{file}", use: batch.download)
        let models = ModelsPage(backends: backends, service: predictions)
        router.get("models", use: models.show)
        router.get("models/{name}") { _, context in
            Reply.redirect("/models#model-\(HTML.pathSegment(try context.parameters.require("name")))")
        }
        let version = ModelVersionPage(backends: backends, evaluations: evaluations, tokens: tokens, registry: registry, service: predictions)
        router.get("models/{name}/{version}", use: version.show)
        router.post("models/{name}/{version}/promote", use: version.promote)
        router.get("training") { _, _ in
            Reply.html(HTML.page(
                title: "Training", active: "/training",
                body: "<h1>Training</h1>" + HTML.notice("info", "Training from the web is not available in this build: the trainer service is not part of it yet. Use <code>churn train</code> and <code>churn models publish</code>.")))
        }
    }
}
