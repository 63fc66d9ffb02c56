import ArgumentParser
import Foundation
import Wire

/// `churn monitor [NAME]`: how far the customers a predictor scores moved from the ones its model
/// was trained on — the population stability index of each input column and of the score over
/// the predictor's rolling window — asked of each replica in turn (each keeps its own window).
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Show the drift (PSI) of a predictor's live inputs and scores from its model's training data.",
        discussion: """
            Each replica of --predictor is asked in turn (each watches the rows it answered: the newest \
            9,000 to 10,000). PSI below 0.1 is stable, 0.1 to 0.25 a warning, 0.25 or more an alert; \
            `-` means no rows yet. Give NAME to check that the predictor serves that model. Exits 1 \
            when a replica cannot be asked or serves another model, or its model was trained before \
            drift monitoring (retrain it).
            """
    )

    @Argument(help: "The model name the predictor should serve (default: whatever it serves).")
    var name: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Predictor address, or replicas comma-separated (else CHURN_PREDICTOR, else 127.0.0.1:7402).",
            valueName: "host:port[,host:port…]"))
    var predictor: String?

    @Option(name: .long, help: "File holding the shared token (else CHURN_TOKEN).")
    var tokenFile: String?

    @Flag(name: .long, help: "Print the report as JSON (an array with several replicas).")
    var json = false

    func run() async throws {
        let endpoints = try ClientSession.endpoints(
            predictor, role: "predictor", variable: "CHURN_PREDICTOR", fallback: "127.0.0.1:7402")
        var configuration = WireClientConfiguration(
            clientName: "churn-cli", token: try ServeOptions.token(file: tokenFile))
        configuration.connectTimeout = .seconds(5)
        var reports: [JSONReport] = []
        for endpoint in endpoints.all {
            let drift: PredictorDriftResponse
            do {
                let client = try await PredictorClient.connect(
                    endpoints: try RoleEndpoints([endpoint], role: "predictor"), configuration: configuration)
                do {
                    drift = try await client.drift(timeout: .seconds(10))
                } catch {
                    await client.close()
                    throw error
                }
                await client.close()
            } catch WireClientError.server(_, let message, _) {
                ClientSession.fail("\(endpoint): \(message)")
            } catch {
                ClientSession.fail("cannot ask the predictor at \(endpoint): \(error)")
            }
            if let name, drift.model != name {
                ClientSession.fail("\(endpoint) serves \(drift.model)@\(drift.version), not \(name)")
            }
            if json {
                reports.append(JSONReport(address: endpoint.description, drift))
            } else {
                print(Self.text(drift, address: endpoint.description))
            }
        }
        if json {
            if reports.count == 1 { try JSONOutput.print(reports[0]) } else { try JSONOutput.print(reports) }
        }
    }

    /// The report as a heading and a table, worst columns first, the score last.
    static func text(_ drift: PredictorDriftResponse, address: String) -> String {
        var table = TextTable(headings: ["COLUMN", "PSI", "LEVEL"])
        for entry in drift.columnsWorstFirst + [drift.score] {
            table.rows.append([
                entry.name, entry.psi.map { String(format: "%.3f", $0) } ?? "-", entry.level.name,
            ])
        }
        let rows = drift.rows < drift.minimumRows ? " (fewer than \(drift.minimumRows): too few to judge)" : ""
        return "\(address): \(drift.model)@\(drift.version), \(drift.rows) rows in the window\(rows)\n" + table.render()
    }

    /// The JSON form of one replica's report.
    struct JSONReport: Encodable {
        struct Entry: Encodable {
            let name: String
            let psi: Double?
            let level: String
        }

        let address: String
        let model: String
        let version: String
        let rows: UInt64
        let minimumRows: UInt64
        let columns: [Entry]
        let score: Entry

        init(address: String, _ drift: PredictorDriftResponse) {
            func entry(_ entry: PredictorDriftResponse.Entry) -> Entry {
                Entry(name: entry.name, psi: entry.psi, level: entry.level.name)
            }
            self.address = address
            model = drift.model
            version = drift.version
            rows = drift.rows
            minimumRows = drift.minimumRows
            columns = drift.columns.map(entry)
            score = entry(drift.score)
        }

        enum CodingKeys: String, CodingKey {
            case address, model, version, rows
            case minimumRows = "minimum_rows"
            case columns, score
        }
    }
}
