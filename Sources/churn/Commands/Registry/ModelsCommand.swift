import ArgumentParser
import Foundation
import Wire

/// `churn models …`: publish, query and manage model versions in the registry.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Publish, list, search, fetch and manage model versions in the model registry.",
        subcommands: [
            ModelsPublishCommand.self, ModelsListCommand.self, ModelsShowCommand.self, ModelsSearchCommand.self,
            ModelsFetchCommand.self, ModelsAliasCommand.self, ModelsHistoryCommand.self, ModelsRemoveCommand.self,
            ModelsGCCommand.self,
        ]
    )

    /// The table of a version listing (aliases included).
    static func table(_ versions: [ModelVersion]) -> String {
        var table = TextTable(headings: ["NAME", "VERSION", "ALIASES", "ROC_AUC", "F1", "CREATED", "TAGS"])
        for version in versions {
            table.rows.append([
                version.name, "\(version.version)", version.aliases.joined(separator: ","), metric(version, "roc_auc"),
                metric(version, "f1"), version.created,
                version.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
            ])
        }
        return table.render()
    }

    /// A metric with four decimals, or `-`.
    static func metric(_ version: ModelVersion, _ key: String) -> String {
        guard let value = version.metrics[key] else { return "-" }
        return String(format: "%.4f", value)
    }

    /// The detail view of one version and where the name's versions are live.
    static func detail(_ response: ModelShowResponse) -> String {
        let version = response.version
        var lines = [
            "name:            \(version.name)", "version:         \(version.version)",
            "aliases:         \(version.aliases.joined(separator: ", "))", "created:         \(version.created)",
            "bundle sha256:   \(version.bundleSHA256) (\(version.bundleSize) bytes)",
            "dataset sha256:  \(version.datasetSHA256)", "threshold:       \(version.threshold)",
            "description:     \(version.description)",
            "tags:            "
                + version.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
            "metrics:",
        ]
        for (key, value) in version.metrics.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(key): \(String(format: "%.4f", value))")
        }
        lines.append("hyperparameters: \(version.hyperparameters)")
        if response.deployments.isEmpty {
            lines.append("live:            nowhere")
        } else {
            lines.append("live:")
            var table = TextTable(headings: ["  INSTANCE", "VERSION", "LAST SEEN"])
            for deployment in response.deployments {
                table.rows.append(["  " + deployment.instance, "\(deployment.version)", deployment.lastSeen])
            }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }
}
