import Wire

extension RegistryHandler {
    /// Decodes a JSON request for `opcode`, runs it on the store and encodes the answer.
    func respond(to opcode: Opcode, _ document: JSONDocument, who client: String) async throws -> JSONDocument {
        func who(_ value: String) -> String { value.isEmpty ? client : value }
        switch opcode {
        case .datasetRegister:
            return try await run(DatasetRegisterRequest.self, document) {
                try await store.registerDataset(
                    name: $0.name, sha256: $0.sha256, description: $0.description, delimiter: $0.delimiter)
            }
        case .datasetList:
            return try await run(DatasetListRequest.self, document) {
                RegistryList(try await store.datasets(name: $0.name))
            }
        case .datasetShow:
            return try await run(DatasetShowRequest.self, document) { try await store.dataset($0.reference) }
        case .modelPublish:
            return try await run(ModelPublishRequest.self, document) {
                try await store.publishModel(
                    name: $0.name, bundleSHA256: $0.sha256, tags: $0.tags, description: $0.description, alias: $0.alias,
                    who: who($0.who))
            }
        case .modelShow:
            return try await run(ModelShowRequest.self, document) {
                let version = try await store.model($0.reference)
                return ModelShowResponse(version: version, deployments: try await store.deployments(name: version.name))
            }
        case .modelList:
            return try await run(ModelListRequest.self, document) { request in
                if let name = request.name {
                    return ModelListResponse(versions: try await store.versions(of: name))
                }
                return ModelListResponse(models: try await store.modelNames())
            }
        case .modelSearch:
            return try await run(ModelSearchRequest.self, document) { RegistryList(try await store.search($0.query)) }
        case .modelDelete:
            return try await run(ModelDeleteRequest.self, document) {
                try await store.deleteVersion(name: $0.name, version: $0.version, who: who($0.who))
            }
        case .aliasSet:
            return try await run(AliasSetRequest.self, document) {
                try await store.setAlias(name: $0.name, alias: $0.alias, version: $0.version, who: who($0.who))
            }
        case .aliasRemove:
            return try await run(AliasRemoveRequest.self, document) {
                try await store.removeAlias(name: $0.name, alias: $0.alias, who: who($0.who))
            }
        case .aliasHistory:
            return try await run(AliasHistoryRequest.self, document) {
                RegistryList(try await store.aliasHistory(name: $0.name, alias: $0.alias))
            }
        case .registryGC:
            return try await run(GCRequest.self, document) {
                try await store.gc(dryRun: $0.dryRun, minimumAgeMillis: gcGraceMillis)
            }
        case .deploymentReport:
            return try await run(DeploymentReportRequest.self, document) {
                try await store.reportDeployment(instance: $0.instance, name: $0.name, version: $0.version)
            }
        case .deployments:
            return try await run(DeploymentsRequest.self, document) {
                RegistryList(try await store.deployments(name: $0.name))
            }
        case .registryEvents:
            return try await run(EventsRequest.self, document) { request in
                guard (1...10_000).contains(request.limit) else {
                    throw ErrorMessage(code: .invalidRequest, message: "limit must be 1…10000", field: "limit")
                }
                let head = try await store.latestSequence()
                return EventsResponse(
                    events: try await store.events(after: request.after, limit: request.limit), head: head)
            }
        default:
            throw ErrorMessage(code: .unknownOpcode, message: "opcode \(opcode.hex) is not a registry opcode")
        }
    }

    /// Stores and publishes a bundle sent inline (0x011C), checking it against the request's digest.
    func publishInline(_ request: ModelPublishInlineRequest, who client: String) async throws -> ModelVersion {
        let publish = try request.publishRequest()
        return try await store.publishModel(
            name: publish.name, bundle: Array(request.bundle.readableBytesView), tags: publish.tags,
            description: publish.description, alias: publish.alias, who: publish.who.isEmpty ? client : publish.who,
            expectedSHA256: publish.sha256)
    }

    /// Decodes `Call`, runs `body`, encodes its answer.
    private func run<Call: RegistryCall>(
        _ type: Call.Type, _ document: JSONDocument, _ body: (Call) async throws -> Call.Response
    ) async throws -> JSONDocument {
        try JSONDocument(encoding: try await body(document.decode(Call.self)))
    }
}
