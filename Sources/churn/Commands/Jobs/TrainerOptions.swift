import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// Options shared by every trainer client command (`churn jobs …`).
struct TrainerOptions: ParsableArguments {
    @Option(name: .long, help: "Trainer address HOST:PORT (else CHURN_TRAINER, else 127.0.0.1:7401).")
    var trainer: String?

    @Option(name: .long, help: "File holding the shared token (else CHURN_TOKEN; needed to submit or cancel when the trainer has one).")
    var tokenFile: String?

    @Flag(name: .long, help: "Print the records as JSON instead of text.")
    var json = false

    /// The trainer address to use.
    func address() throws -> ListenAddress {
        let text = trainer ?? ProcessInfo.processInfo.environment["CHURN_TRAINER"] ?? "127.0.0.1:7401"
        guard let address = ListenAddress(parsing: text) else {
            throw ValidationError("trainer address '\(text)' is not HOST:PORT")
        }
        return address
    }

    /// The token from `--token-file` or `CHURN_TOKEN`, if any.
    func token() throws -> String? {
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ValidationError("cannot read token file '\(tokenFile)'")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let value = ProcessInfo.processInfo.environment["CHURN_TOKEN"], !value.isEmpty { return value }
        return nil
    }

    /// Connects, runs `body`, closes; a failure is printed as one line on standard error and ends
    /// the command with exit status 1.
    func withClient<T>(_ body: (TrainerClient) async throws -> T) async throws -> T {
        let address = try address()
        let token = try self.token()
        let client: TrainerClient
        do {
            client = try await TrainerClient.connect(
                host: address.host, port: address.port, configuration: WireClientConfiguration(clientName: "churn-cli", token: token))
        } catch {
            RegistryOptions.fail("cannot reach the trainer at \(address.host):\(address.port): \(error)")
        }
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch let error as WireClientError {
            await client.close()
            if case .server(let code, let message, let field) = error {
                RegistryOptions.fail("\(message)" + (field.map { " (field \($0))" } ?? "") + " [\(code)]")
            }
            RegistryOptions.fail(error.description)
        } catch let error as ValidationError {
            await client.close()
            throw error
        } catch let error as ExitCode {
            await client.close()
            throw error
        } catch {
            await client.close()
            RegistryOptions.fail("\(error)")
        }
    }
}

