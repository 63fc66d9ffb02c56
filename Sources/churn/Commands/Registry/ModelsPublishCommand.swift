import ArgumentParser
import Wire

/// `churn models publish MODEL_FILE --name N [--tag k=v]... [--alias A] [--description D]`.
struct ModelsPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish a model bundle as the name's next version.")

    @Argument(help: "The model bundle file (from `churn train`).") var modelFile: String
    @Option(name: .long, help: "Model name.") var name: String
    @Option(name: .long, help: "A tag KEY=VALUE (repeatable).") var tag: [String] = []
    @Option(name: .long, help: "Point this alias at the new version.") var alias: String?
    @Option(name: .long, help: "Description.") var description: String = ""
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        var tags: [String: String] = [:]
        for item in tag {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--tag '\(item)' is not KEY=VALUE")
            }
            tags[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        let bytes = try RegistryOptions.readFile(modelFile)
        let version = try await registry.withClient {
            try await $0.publishModel(bundle: bytes, name: name, tags: tags, description: description, alias: alias)
        }
        if registry.json {
            try JSONOutput.print(version)
        } else {
            print(
                "published \(version.reference)"
                    + (version.aliases.isEmpty ? "" : " (\(version.aliases.joined(separator: ", ")))"))
        }
    }
}
