import Wire
import ChurnML
import GRDB

extension RegistryStore {
    /// Publishes a model bundle under `name` as its next version and returns it.
    ///
    /// The bundle is decoded with `BundleCodec.decode` (an invalid or damaged bundle is refused
    /// with `RegistryError.invalidBundle`), and its metrics, threshold, hyperparameters and lineage
    /// are indexed with the request's tags and description. The blob is stored durably first; then
    /// one transaction allocates the version from the name's counter, inserts the version, its
    /// tags and metrics, logs `model.published` and, when `alias` is given, points the alias at
    /// the new version (logging `alias.moved`). Versions are therefore monotonic and gap-free per
    /// name across concurrent publishers, and never reused after a delete. With
    /// `expectedSHA256`, bytes that do not hash to it are refused with `digestMismatch`.
    @discardableResult
    public func publishModel(
        name: String, bundle bytes: [UInt8], tags: [String: String] = [:], description: String = "",
        alias: String? = nil, who: String = "", expectedSHA256: String? = nil
    ) throws -> ModelVersion {
        try validatePublish(name: name, tags: tags, description: description, alias: alias, who: who)
        let digest = SHA256Digest.hex(of: bytes)
        if let expectedSHA256 {
            let expected = try NameRules.normalizedDigest(expectedSHA256)
            guard expected == digest else { throw RegistryError.digestMismatch(expected: expected, actual: digest) }
        }
        let decoded = try Self.decodeBundle(bytes)
        return try pins.withPin(digest) {
            try blobs.write(bytes, digest: digest)
            return try insertVersion(
                name: name, bundle: decoded, digest: digest, size: Int64(bytes.count), tags: tags,
                description: description, alias: alias, who: who)
        }
    }

    /// Publishes a bundle already stored by a chunked upload (read back and verified first).
    @discardableResult
    public func publishModel(
        name: String, bundleSHA256: String, tags: [String: String] = [:], description: String = "",
        alias: String? = nil, who: String = ""
    ) throws -> ModelVersion {
        try validatePublish(name: name, tags: tags, description: description, alias: alias, who: who)
        let digest = try NameRules.normalizedDigest(bundleSHA256)
        return try pins.withPin(digest) {
            let bytes = try blobs.read(digest)
            let decoded = try Self.decodeBundle(bytes)
            return try insertVersion(
                name: name, bundle: decoded, digest: digest, size: Int64(bytes.count), tags: tags,
                description: description, alias: alias, who: who)
        }
    }

    /// The version a reference names (`name`, `name@7`, `name@production`), with its tags,
    /// metrics and aliases.
    public func model(_ reference: String) throws -> ModelVersion {
        let parsed = try ModelReference(parsing: reference)
        return try index.read { db in
            let row: Row?
            switch parsed {
            case .latest(let name):
                row = try Row.fetchOne(
                    db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? ORDER BY v.version DESC LIMIT 1",
                    arguments: [name])
            case .version(let name, let version):
                row = try Row.fetchOne(
                    db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? AND v.version = ?",
                    arguments: [name, version])
            case .alias(let name, let alias):
                row = try Row.fetchOne(
                    db,
                    sql: "SELECT \(QueryCompiler.columns) FROM aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.name = ? AND a.alias = ?",
                    arguments: [name, alias])
            }
            guard let row else { throw RegistryError.notFound(kind: "model version", reference: parsed.description) }
            var versions = [try Self.modelVersion(row)]
            try Self.attachDetails(db, to: &versions)
            return versions[0]
        }
    }

    /// The version a reference names and its bundle bytes (verified against the SHA-256; a
    /// damaged blob throws `RegistryError.corrupted`).
    public func fetchModel(_ reference: String) throws -> (version: ModelVersion, bytes: [UInt8]) {
        let version = try model(reference)
        return (version, try blobs.read(version.bundleSHA256))
    }

    /// Every existing version of `name`, oldest first.
    public func versions(of name: String) throws -> [ModelVersion] {
        try NameRules.validateName(name, kind: "model")
        return try index.read { db in
            var versions = try Row.fetchAll(
                db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? ORDER BY v.version",
                arguments: [name]
            ).map(Self.modelVersion)
            try Self.attachDetails(db, to: &versions)
            return versions
        }
    }

    /// Every model name with its version count, latest version, next version and aliases.
    public func modelNames() throws -> [ModelSummary] {
        try index.read { db in
            var summaries = try Row.fetchAll(
                db,
                sql: """
                    SELECT n.name, n.next_version, COUNT(v.id), MAX(v.version)
                    FROM model_names n LEFT JOIN model_versions v ON v.name = n.name
                    GROUP BY n.name ORDER BY n.name
                    """
            ).map { row in
                ModelSummary(
                    name: try row.decode(atIndex: 0), versionCount: try row.decode(atIndex: 2),
                    latestVersion: try row.decode(atIndex: 3), nextVersion: try row.decode(atIndex: 1), aliases: [:])
            }
            var aliasesByName: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, alias, version FROM aliases") {
                aliasesByName[try row.decode(String.self, atIndex: 0), default: [:]][try row.decode(atIndex: 1)] =
                    try row.decode(Int.self, atIndex: 2)
            }
            for index in summaries.indices {
                summaries[index].aliases = aliasesByName[summaries[index].name] ?? [:]
            }
            return summaries
        }
    }

    /// Model versions matching a query (see `ModelQuery.parse`), each with its tags, metrics and
    /// the aliases pointing at it. Throws `QueryError` for a malformed query.
    public func search(_ query: String) throws -> [ModelVersion] {
        try search(ModelQuery.parse(query))
    }

    /// Model versions matching a parsed query.
    public func search(_ query: ModelQuery) throws -> [ModelVersion] {
        let compiled = QueryCompiler.compile(query)
        let arguments = StatementArguments(compiled.arguments.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .text(let text): return text
            case .integer(let number): return number
            case .real(let number): return number
            }
        })
        return try index.read { db in
            // Not cached: query shapes come from clients, and a statement cache keyed by them would grow without bound.
            var versions = try Row.fetchAll(db, sql: compiled.sql, arguments: arguments).map(Self.modelVersion)
            try Self.attachDetails(db, to: &versions)
            return versions
        }
    }

    /// Deletes a model version (its tags and metrics with it; the blob stays until `gc`) and logs
    /// `model.deleted`. Refused with `RegistryError.versionAliased` while an alias points at it.
    /// Its number is never reused.
    @discardableResult
    public func deleteVersion(name: String, version: Int, who: String = "") throws -> ModelVersion {
        try NameRules.validateName(name, kind: "model")
        try Self.validateWho(who)
        let now = clock()
        return try index.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? AND v.version = ?",
                arguments: [name, version])
            else { throw RegistryError.notFound(kind: "model version", reference: "\(name)@\(version)") }
            var versions = [try Self.modelVersion(row)]
            try Self.attachDetails(db, to: &versions)
            let deleted = versions[0]
            guard deleted.aliases.isEmpty else {
                throw RegistryError.versionAliased(name: name, version: version, aliases: deleted.aliases)
            }
            try db.execute(sql: "DELETE FROM model_versions WHERE id = ?", arguments: [deleted.rowID])
            try Self.appendEvent(
                db, kind: .modelDeleted, name: name,
                payload: [
                    "version": .integer(Int64(version)), "bundle_sha256": .string(deleted.bundleSHA256),
                    "who": .string(who),
                ], at: now)
            return deleted
        }
    }

    private func validatePublish(name: String, tags: [String: String], description: String, alias: String?, who: String) throws {
        try NameRules.validateName(name, kind: "model")
        guard tags.count <= 64 else { throw RegistryError.invalidArgument("at most 64 tags per version") }
        for (key, value) in tags {
            try NameRules.validateName(key, kind: "tag key")
            try NameRules.validateText(value, what: "tag \(key)")
        }
        try NameRules.validateText(description, what: "description")
        if let alias { try NameRules.validateAlias(alias) }
        try Self.validateWho(who)
    }

    private static func decodeBundle(_ bytes: [UInt8]) throws -> ModelBundle {
        do {
            return try BundleCodec.decode(bytes)
        } catch let error as BundleError {
            throw RegistryError.invalidBundle(error.description)
        } catch {
            throw RegistryError.invalidBundle("\(error)")
        }
    }

    /// The metrics the index records for a bundle (undefined and non-finite ones left out).
    static func indexedMetrics(_ bundle: ModelBundle) -> [String: Double] {
        guard let metrics = bundle.metrics else { return [:] }
        let candidates: [(String, Double?)] = [
            ("accuracy", metrics.accuracy), ("precision", metrics.precision), ("recall", metrics.recall),
            ("f1", metrics.f1), ("roc_auc", metrics.rocAUC), ("pr_auc", metrics.prAUC),
            ("log_loss", metrics.logLoss), ("brier", metrics.brier),
        ]
        var result: [String: Double] = [:]
        for (key, value) in candidates {
            if let value, value.isFinite { result[key] = value }
        }
        return result
    }

    private func insertVersion(
        name: String, bundle: ModelBundle, digest: String, size: Int64, tags: [String: String],
        description: String, alias: String?, who: String
    ) throws -> ModelVersion {
        let metrics = Self.indexedMetrics(bundle)
        let hyperparameters = try JSONText.encode(bundle.lineage.configuration)
        let lineage = try JSONText.encode(bundle.lineage)
        let datasetDigest = (try? NameRules.normalizedDigest(bundle.lineage.datasetSHA256)) ?? bundle.lineage.datasetSHA256
        let now = clock()
        return try index.write { db in
            try db.cachedStatement(sql: "INSERT INTO model_names (name, next_version, created) VALUES (?, 1, ?) ON CONFLICT (name) DO NOTHING")
                .execute(arguments: [name, now])
            let version = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT next_version FROM model_names WHERE name = ?"), arguments: [name]) ?? 1
            try db.cachedStatement(sql: "UPDATE model_names SET next_version = ? WHERE name = ?")
                .execute(arguments: [version + 1, name])
            try db.cachedStatement(
                sql: """
                    INSERT INTO model_versions (name, version, bundle_sha256, bundle_size, dataset_sha256, created,
                        description, threshold, hyperparameters, lineage)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                name, version, digest, size, datasetDigest, now, description, bundle.threshold, hyperparameters, lineage,
            ])
            let rowID = db.lastInsertedRowID
            let tagStatement = try db.cachedStatement(sql: "INSERT INTO tags (version_id, key, value) VALUES (?, ?, ?)")
            for (key, value) in tags { try tagStatement.execute(arguments: [rowID, key, value]) }
            let metricStatement = try db.cachedStatement(sql: "INSERT INTO metrics (version_id, key, value) VALUES (?, ?, ?)")
            for (key, value) in metrics { try metricStatement.execute(arguments: [rowID, key, value]) }
            try Self.appendEvent(
                db, kind: .modelPublished, name: name,
                payload: [
                    "version": .integer(Int64(version)), "bundle_sha256": .string(digest),
                    "dataset_sha256": .string(datasetDigest), "metrics": .object(metrics.mapValues { .number($0) }),
                ], at: now)
            var aliases: [String] = []
            if let alias {
                try Self.moveAlias(db, name: name, alias: alias, to: version, who: who, at: now)
                aliases = [alias]
            }
            return ModelVersion(
                name: name, version: version, bundleSHA256: digest, bundleSize: size, datasetSHA256: datasetDigest,
                createdMillis: now, description: description, threshold: bundle.threshold,
                hyperparameters: hyperparameters, lineage: lineage, tags: tags, metrics: metrics, aliases: aliases,
                rowID: rowID)
        }
    }
}
