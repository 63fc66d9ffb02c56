import ChurnML
import Wire

extension RegistryStore {
    /// Publishes a model bundle under `name` as its next version and returns it.
    ///
    /// The bundle is decoded with `BundleCodec.decode` (an invalid or damaged bundle is refused
    /// with `RegistryError.invalidBundle`), and its metrics, threshold, hyperparameters and lineage
    /// are indexed with the request's tags and description. The blob is stored durably first; then
    /// one transaction allocates the version from the name's counter, inserts the version, its
    /// tags and metrics, logs `model.published` and, when `alias` is given, points the alias at
    /// the new version (logging `alias.moved`). Versions are therefore monotonic and gap-free per
    /// name across concurrent publishers (and replicas), and never reused after a delete. With
    /// `expectedSHA256`, bytes that do not hash to it are refused with `digestMismatch`.
    @discardableResult
    public func publishModel(
        name: String, bundle bytes: [UInt8], tags: [String: String] = [:], description: String = "",
        alias: String? = nil, who: String = "", expectedSHA256: String? = nil
    ) async throws -> ModelVersion {
        try validatePublish(name: name, tags: tags, description: description, alias: alias, who: who)
        let expected = try expectedSHA256.map(NameRules.normalizedDigest)
        let (digest, bundle) = try await Self.offloaded { (SHA256Digest.hex(of: bytes), try Self.decodeBundle(bytes)) }
        if let expected, expected != digest { throw RegistryError.digestMismatch(expected: expected, actual: digest) }
        return try await metadata.whileWritingBlob(digest) {
            try await blobs.write(bytes, digest: digest)
            return try await metadata.insertVersion(
                Self.draft(
                    name: name, bundle: bundle, digest: digest, size: Int64(bytes.count), tags: tags,
                    description: description),
                alias: alias, who: who, at: clock())
        }
    }

    /// Publishes a bundle already stored by a chunked upload (read back and verified first).
    @discardableResult
    public func publishModel(
        name: String, bundleSHA256: String, tags: [String: String] = [:], description: String = "",
        alias: String? = nil, who: String = ""
    ) async throws -> ModelVersion {
        try validatePublish(name: name, tags: tags, description: description, alias: alias, who: who)
        let digest = try NameRules.normalizedDigest(bundleSHA256)
        return try await metadata.whileWritingBlob(digest) {
            let bytes = try await blobs.read(digest)
            let bundle = try await Self.offloaded { try Self.decodeBundle(bytes) }
            return try await metadata.insertVersion(
                Self.draft(
                    name: name, bundle: bundle, digest: digest, size: Int64(bytes.count), tags: tags,
                    description: description),
                alias: alias, who: who, at: clock())
        }
    }

    /// The version a reference names (`name`, `name@7`, `name@production`), with its tags,
    /// metrics and aliases.
    public func model(_ reference: String) async throws -> ModelVersion {
        try await metadata.model(try ModelReference(parsing: reference))
    }

    /// The version a reference names and its bundle bytes (verified against the SHA-256; a
    /// damaged blob throws `RegistryError.corrupted`).
    public func fetchModel(_ reference: String) async throws -> (version: ModelVersion, bytes: [UInt8]) {
        let version = try await model(reference)
        return (version, try await blobs.read(version.bundleSHA256))
    }

    /// Every existing version of `name`, oldest first.
    public func versions(of name: String) async throws -> [ModelVersion] {
        try NameRules.validateName(name, kind: "model")
        return try await metadata.versions(of: name)
    }

    /// Every model name with its version count, latest version, next version and aliases.
    public func modelNames() async throws -> [ModelSummary] {
        try await metadata.modelNames()
    }

    /// Model versions matching a query (see `ModelQuery.parse`), each with its tags, metrics and
    /// the aliases pointing at it. Throws `QueryError` for a malformed query.
    public func search(_ query: String) async throws -> [ModelVersion] {
        try await metadata.search(try ModelQuery.parse(query))
    }

    /// Model versions matching a parsed query.
    public func search(_ query: ModelQuery) async throws -> [ModelVersion] {
        try await metadata.search(query)
    }

    /// Deletes a model version (its tags and metrics with it; the blob stays until `gc`) and logs
    /// `model.deleted`. Refused with `RegistryError.versionAliased` while an alias points at it.
    /// Its number is never reused.
    @discardableResult
    public func deleteVersion(name: String, version: Int, who: String = "") async throws -> ModelVersion {
        try NameRules.validateName(name, kind: "model")
        try Self.validateWho(who)
        return try await metadata.deleteVersion(name: name, version: version, who: who, at: clock())
    }

    private func validatePublish(name: String, tags: [String: String], description: String, alias: String?, who: String)
        throws
    {
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

    /// What the index records of a bundle published under `name`.
    private static func draft(
        name: String, bundle: ModelBundle, digest: String, size: Int64, tags: [String: String], description: String
    ) throws -> ModelVersion {
        .draft(
            name: name, bundleSHA256: digest, bundleSize: size,
            datasetSHA256: (try? NameRules.normalizedDigest(bundle.lineage.datasetSHA256))
                ?? bundle.lineage.datasetSHA256,
            description: description, threshold: bundle.threshold,
            hyperparameters: try JSONText.encode(bundle.lineage.configuration),
            lineage: try JSONText.encode(bundle.lineage),
            tags: tags, metrics: indexedMetrics(bundle))
    }

    /// The metrics the index records for a bundle (undefined and non-finite ones left out).
    static func indexedMetrics(_ bundle: ModelBundle) -> [String: Double] {
        bundle.metrics?.indexedValues ?? [:]
    }
}
