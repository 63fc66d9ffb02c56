import ArgumentParser
import Wire

/// `churn models ls [NAME]`: names with counts and aliases, or one name's versions.
struct ModelsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List model names, or one name's versions.")

    @Argument(help: "List this name's versions.") var name: String?
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let response = try await registry.withClient { try await $0.call(ModelListRequest(name: name)) }
        if registry.json {
            if let versions = response.versions {
                try JSONOutput.print(versions)
            } else {
                try JSONOutput.print(response.models ?? [])
            }
            return
        }
        if let versions = response.versions {
            print(ModelsCommand.table(versions))
        } else {
            var table = TextTable(headings: ["NAME", "VERSIONS", "LATEST", "ALIASES"])
            for model in response.models ?? [] {
                table.rows.append([
                    model.name, "\(model.versionCount)", model.latestVersion.map(String.init) ?? "-",
                    model.aliases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                ])
            }
            print(table.render())
        }
    }
}

/// `churn models show REF`: one version (NAME, NAME@VERSION, NAME@ALIAS) and where it is live.
struct ModelsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one model version and its deployments.")

    @Argument(help: "NAME, NAME@VERSION or NAME@ALIAS.") var reference: String
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let response = try await registry.withClient { try await $0.model(reference) }
        if registry.json { try JSONOutput.print(response) } else { print(ModelsCommand.detail(response)) }
    }
}

/// `churn models search 'QUERY'`.
struct ModelsSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search versions, e.g. 'name = \"bank\" and metrics.roc_auc >= 0.86 order by created desc limit 5'.")

    @Argument(help: "The query.") var query: String
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let versions = try await registry.withClient { try await $0.search(query) }
        if registry.json { try JSONOutput.print(versions) } else { print(ModelsCommand.table(versions)) }
    }
}

/// `churn models fetch REF --out FILE`.
struct ModelsFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Download a model bundle (SHA-256 verified).")

    @Argument(help: "NAME, NAME@VERSION or NAME@ALIAS.") var reference: String
    @Option(name: .long, help: "Where to write the bundle.") var out: String
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let (version, bytes) = try await registry.withClient { try await $0.fetchModel(reference) }
        try RegistryOptions.writeFile(out, bytes)
        if registry.json {
            try JSONOutput.print(version)
        } else {
            print("wrote \(out) (\(version.reference), \(bytes.count) bytes, sha256 \(version.bundleSHA256))")
        }
    }
}
