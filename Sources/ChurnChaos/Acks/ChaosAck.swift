/// One line of the chaos writer's log (`churn-chaos writer`): a write it attempted or that the
/// server acknowledged. A write is acknowledged only once its answer has arrived, so after any
/// crash every `ack` line must still be true (``ChaosAckCheck``).
public enum ChaosAck: Hashable, Sendable, CustomStringConvertible {
    /// `ack dataset NAME SHA256`: a dataset push was answered.
    case dataset(name: String, sha256: String)
    /// `ack model NAME VERSION SHA256`: a model publish was answered with that version.
    case model(name: String, version: Int, sha256: String)
    /// `attempt alias NAME ALIAS VERSION`: an alias move was sent (its answer may never come).
    case aliasAttempt(name: String, alias: String, version: Int)
    /// `ack alias NAME ALIAS VERSION`: an alias move was answered.
    case alias(name: String, alias: String, version: Int)
    /// `ack job ID`: a training job was accepted.
    case job(id: String)

    /// Parses one line; nil for anything else (a half-written last line after a kill included).
    public init?(line: String) {
        let words = line.split(separator: " ").map(String.init)
        switch (words.first, words.count > 1 ? words[1] : nil, words.count) {
        case ("ack", "dataset", 4):
            self = .dataset(name: words[2], sha256: words[3])
        case ("ack", "model", 5):
            guard let version = Int(words[3]) else { return nil }
            self = .model(name: words[2], version: version, sha256: words[4])
        case ("attempt", "alias", 5):
            guard let version = Int(words[4]) else { return nil }
            self = .aliasAttempt(name: words[2], alias: words[3], version: version)
        case ("ack", "alias", 5):
            guard let version = Int(words[4]) else { return nil }
            self = .alias(name: words[2], alias: words[3], version: version)
        case ("ack", "job", 3):
            self = .job(id: words[2])
        default:
            return nil
        }
    }

    /// The line, without a newline.
    public var description: String {
        switch self {
        case .dataset(let name, let sha256): "ack dataset \(name) \(sha256)"
        case .model(let name, let version, let sha256): "ack model \(name) \(version) \(sha256)"
        case .aliasAttempt(let name, let alias, let version): "attempt alias \(name) \(alias) \(version)"
        case .alias(let name, let alias, let version): "ack alias \(name) \(alias) \(version)"
        case .job(let id): "ack job \(id)"
        }
    }
}
