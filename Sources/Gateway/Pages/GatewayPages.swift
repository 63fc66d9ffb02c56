import Hummingbird

extension Gateway {
    /// The HTML routes: `/` (→ `/predict`), `/predict`, `/batch`, `/models`, `/models/{name}/{version}`
    /// (and its `/monitoring` tab),
    /// `/training`, `/training/{id}`, `/datasets`, `/datasets/{ref}`.
    func addPages(to router: Router<BasicRequestContext>, registry: RegistryAPI, jobs: JobsAPI, pusher: DatasetPusher) {
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
        let version = ModelVersionPage(
            backends: backends, evaluations: evaluations, tokens: tokens, registry: registry, service: predictions)
        router.get("models/{name}/{version}", use: version.show)
        router.post("models/{name}/{version}/promote", use: version.promote)
        router.get("models/{name}/{version}/monitoring", use: ModelMonitoringPage(backends: backends).show)
        let training = TrainingPage(backends: backends, tokens: tokens, jobs: jobs)
        router.get("training", use: training.show)
        router.post("training", use: training.submit)
        let job = TrainingJobPage(backends: backends, evaluations: evaluations)
        router.get("training/{id}", use: job.show)
        let datasets = DatasetsPage(backends: backends, tokens: tokens, pusher: pusher, jobs: jobs)
        router.get("datasets", use: datasets.show)
        router.post("datasets", use: datasets.upload)
        router.get("datasets/{ref}", use: datasets.detail)
        router.post("datasets/{ref}/train", use: datasets.train)
    }
}
