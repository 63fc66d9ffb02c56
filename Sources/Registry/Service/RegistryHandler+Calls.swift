import Wire

extension RegistryHandler {
    /// Decodes a JSON request for `opcode`, runs it on the store and encodes the answer.
    func respond(to opcode: Opcode, _ document: JSONDocument, who client: String) throws -> JSONDocument {
        func who(_ value: String) -> String { value.isEmpty ? client : value }
        switch opcode {
        case .datasetRegister:
            return try run(DatasetRegisterRequest.self, document) {
                try store.registerDataset(name: $0.name, sha256: $0.sha256, description: $0.description, delimiter: $0.delimiter)
            }
        case .datasetList:
            return try run(DatasetListRequest.self, document) { RegistryList(try store.datasets(name: $0.name)) }
        case .datasetShow:
            return try run(DatasetShowRequest.self, document) { try store.dataset($0.reference) }
        case .modelPublish:
            return try run(ModelPublishRequest.self, document) {
                try store.publishModel(
                    name: $0.name, bundleSHA256: $0.sha256, tags: $0.tags, description: $0.description, alias: $0.alias,
                    who: who($0.who))
            }
        case .modelShow:
            return try run(ModelShowRequest.self, document) {
                let version = try store.model($0.reference)
                return ModelShowResponse(version: version, deployments: try store.deployments(name: version.name))
            }
        case .modelList:
            return try run(ModelListRequest.self, document) { request in
                if let name = request.name {
                    return ModelListResponse(versions: try store.versions(of: name))
                }
                return ModelListResponse(models: try store.modelNames())
            }
        case .modelSearch:
            return try run(ModelSearchRequest.self, document) { RegistryList(try store.search($0.query)) }
        case .modelDelete:
            return try run(ModelDeleteRequest.self, document) {
                try store.deleteVersion(name: $0.name, version: $0.version, who: who($0.who))
            }
        case .aliasSet:
            return try run(AliasSetRequest.self, document) {
                try store.setAlias(name: $0.name, alias: $0.alias, version: $0.version, who: who($0.who))
            }
        case .aliasRemove:
            return try run(AliasRemoveRequest.self, document) {
                try store.removeAlias(name: $0.name, alias: $0.alias, who: who($0.who))
            }
        case .aliasHistory:
            return try run(AliasHistoryRequest.self, document) {
                RegistryList(try store.aliasHistory(name: $0.name, alias: $0.alias))
            }
        case .registryGC:
            return try run(GCRequest.self, document) { try store.gc(dryRun: $0.dryRun, minimumAgeMillis: gcGraceMillis) }
        case .deploymentReport:
            return try run(DeploymentReportRequest.self, document) {
                try store.reportDeployment(instance: $0.instance, name: $0.name, version: $0.version)
            }
        case .deployments:
            return try run(DeploymentsRequest.self, document) { RegistryList(try store.deployments(name: $0.name)) }
        case .registryEvents:
            return try run(EventsRequest.self, document) { request in
                guard (1...10_000).contains(request.limit) else {
                    throw ErrorMessage(code: .invalidRequest, message: "limit must be 1…10000", field: "limit")
                }
                let head = try store.latestSequence()
                return EventsResponse(events: try store.events(after: request.after, limit: request.limit), head: head)
            }
        default:
            throw ErrorMessage(code: .unknownOpcode, message: "opcode \(opcode.hex) is not a registry opcode")
        }
    }

    /// Stores and publishes a bundle sent inline (0x011C), checking it against the request's digest.
    func publishInline(_ request: ModelPublishInlineRequest, who client: String) throws -> ModelVersion {
        let publish = try request.publishRequest()
        return try store.publishModel(
            name: publish.name, bundle: Array(request.bundle.readableBytesView), tags: publish.tags,
            description: publish.description, alias: publish.alias, who: publish.who.isEmpty ? client : publish.who,
            expectedSHA256: publish.sha256)
    }

    /// Decodes `Call`, runs `body`, encodes its answer.
    private func run<Call: RegistryCall>(
        _ type: Call.Type, _ document: JSONDocument, _ body: (Call) throws -> Call.Response
    ) throws -> JSONDocument {
        try JSONDocument(encoding: try body(document.decode(Call.self)))
    }
}
