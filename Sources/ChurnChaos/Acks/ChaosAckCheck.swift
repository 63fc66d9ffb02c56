/// Compares the chaos writer's acknowledged writes (``ChaosAck``) with what the registry and the
/// trainer hold afterwards; every difference is one problem line. Pure: the caller fetches the
/// state (``State``), so the rules are testable without servers.
public enum ChaosAckCheck {
    /// What the services hold now.
    public struct State: Sendable {
        /// `(name, sha256)` of every dataset version.
        public var datasets: Set<String>
        /// `name@version` → bundle sha256 of every model version.
        public var models: [String: String]
        /// `name@alias` → the versions the alias pointed to, oldest move first (its history).
        public var aliasHistory: [String: [Int]]
        /// `name@alias` → the version it points to now (absent: not set).
        public var aliasNow: [String: Int]
        /// Ids of every job the trainer knows.
        public var jobs: Set<String>

        /// Creates a state.
        public init(
            datasets: Set<String> = [], models: [String: String] = [:], aliasHistory: [String: [Int]] = [:],
            aliasNow: [String: Int] = [:], jobs: Set<String> = []
        ) {
            self.datasets = datasets
            self.models = models
            self.aliasHistory = aliasHistory
            self.aliasNow = aliasNow
            self.jobs = jobs
        }

        /// The key of a dataset version in ``datasets``.
        public static func datasetKey(name: String, sha256: String) -> String { "\(name)@\(sha256.lowercased())" }
    }

    /// Counts of what was checked.
    public struct Summary: Sendable, Hashable {
        /// Acknowledged dataset pushes, model publishes, alias moves and jobs.
        public var datasets = 0, models = 0, aliasMoves = 0, jobs = 0
        /// Everything that was acknowledged but is missing or different now.
        public var problems: [String] = []
    }

    /// Checks `acks` against `state`: every acknowledged dataset, model version and job exists
    /// (models with the same bundle digest); every alias's acknowledged moves appear in its history
    /// in order (a repeated move to the same version counts once: it records nothing); and each alias now points to its last acknowledged version or to a version of a
    /// move attempted after it (whose answer was lost in a crash).
    public static func check(_ acks: [ChaosAck], against state: State) -> Summary {
        var summary = Summary()
        var acknowledgedMoves: [String: [Int]] = [:]
        var allowedNow: [String: Set<Int>] = [:]
        for ack in acks {
            switch ack {
            case .dataset(let name, let sha256):
                summary.datasets += 1
                if !state.datasets.contains(State.datasetKey(name: name, sha256: sha256)) {
                    summary.problems.append("acknowledged dataset \(name)@\(sha256) is missing")
                }
            case .model(let name, let version, let sha256):
                summary.models += 1
                switch state.models["\(name)@\(version)"] {
                case nil: summary.problems.append("acknowledged model \(name)@\(version) is missing")
                case let stored? where stored.lowercased() != sha256.lowercased():
                    summary.problems.append("model \(name)@\(version) holds bundle \(stored), acknowledged \(sha256)")
                default: break
                }
            case .aliasAttempt(let name, let alias, let version):
                allowedNow["\(name)@\(alias)", default: []].insert(version)
            case .alias(let name, let alias, let version):
                summary.aliasMoves += 1
                let key = "\(name)@\(alias)"
                acknowledgedMoves[key, default: []].append(version)
                allowedNow[key] = [version]
            case .job(let id):
                summary.jobs += 1
                if !state.jobs.contains(id) { summary.problems.append("acknowledged job \(id) is missing") }
            }
        }
        for (key, moves) in acknowledgedMoves.sorted(by: { $0.key < $1.key }) {
            // A move to the version the alias already points to leaves no history entry.
            let changes = moves.enumerated().filter { $0.offset == 0 || moves[$0.offset - 1] != $0.element }.map(
                \.element)
            if !isSubsequence(changes, of: state.aliasHistory[key] ?? []) {
                summary.problems.append("alias \(key): acknowledged moves \(moves) are not all in its history in order")
            }
            let allowed = allowedNow[key] ?? []
            let now = state.aliasNow[key]
            if let now, allowed.contains(now) { continue }
            summary.problems.append(
                "alias \(key) points to \(now.map(String.init) ?? "nothing"), expected one of \(allowed.sorted())")
        }
        return summary
    }

    /// Whether `needle` appears in `haystack` in order (not necessarily adjacent).
    static func isSubsequence(_ needle: [Int], of haystack: [Int]) -> Bool {
        var index = haystack.startIndex
        for value in needle {
            guard let found = haystack[index...].firstIndex(of: value) else { return false }
            index = found + 1
        }
        return true
    }
}
