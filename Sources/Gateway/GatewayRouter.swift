import Hummingbird
import Logging

extension Gateway {
    /// Every route: the JSON API under `/api/v1/`, health and metrics, and the pages.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if metrics != nil { router.add(middleware: MetricsMiddleware()) }
        router.add(middleware: LogRequestsMiddleware(.debug))

        let health = HealthAPI(backends: backends, metrics: metrics)
        router.get("healthz", use: health.healthz)
        router.get("readyz", use: health.readyz)
        router.get("metrics", use: health.metricsText)

        let api = router.group("api/v1")
        let predict = PredictAPI(service: predictions, configuration: configuration)
        api.post("predict", use: predict.predict)
        api.get("model", use: predict.model)
        let registry = RegistryAPI(
            backends: backends, evaluations: evaluations, tokens: tokens, configuration: configuration)
        api.get("models", use: registry.models)
        api.get("models/search", use: registry.search)
        api.get("models/{name}", use: registry.versions)
        api.get("models/{name}/{ref}", use: registry.show)
        api.get("models/{name}/{ref}/evaluation", use: registry.evaluation)
        api.put("models/{name}/aliases/{alias}", use: registry.setAlias)
        let pusher = DatasetPusher(configuration: configuration)
        api.post("datasets", use: DatasetsAPI(tokens: tokens, pusher: pusher).push)
        api.get("datasets", use: registry.datasets)
        api.get("datasets/{ref}", use: registry.dataset)
        let jobs = JobsAPI(backends: backends, tokens: tokens, configuration: configuration)
        api.get("jobs", use: jobs.list)
        api.post("jobs", use: jobs.submit)
        api.get("jobs/{id}", use: jobs.show)
        api.post("jobs/{id}/cancel", use: jobs.cancel)
        api.get("jobs/{id}/events", use: jobs.events)

        addPages(to: router, registry: registry, jobs: jobs, pusher: pusher)
        return router
    }
}
