import Logging

extension RegistryStore {
    /// Opens a registry from its settings: the embedded data directory by default; PostgreSQL for
    /// the metadata when `metadataURL` is given; an S3 bucket for the blobs when `blobsURL` is
    /// given (each alone or both; without both, `dataDirectory` is needed). PostgreSQL is connected
    /// and migrated, and the bucket must answer: a store that cannot be reached is an error now,
    /// not at the first request.
    public static func open(
        dataDirectory: String?, metadataURL: String?, blobsURL: String?, s3AccessKeyFile: String? = nil,
        s3SecretKeyFile: String? = nil, spoolDirectory: String? = nil, logger: Logger
    ) async throws -> RegistryStore {
        if metadataURL == nil, blobsURL == nil {
            guard let dataDirectory else { throw RegistryError.invalidArgument("no data directory given") }
            return try RegistryStore(directory: dataDirectory, logger: logger)
        }
        let lock = try dataDirectory.map { directory -> DirectoryLock in
            try FileSystem.makeDirectory(directory)
            return try DirectoryLock(directory: directory)
        }
        let blobs: any BlobStorage
        if let blobsURL {
            let s3 = try S3BlobStore.open(
                url: blobsURL, accessKeyFile: s3AccessKeyFile, secretKeyFile: s3SecretKeyFile,
                spoolDirectory: spoolDirectory ?? dataDirectory.map { $0 + "/spool" })
            if let problem = await s3.problem() {
                await s3.close()
                throw RegistryError.unavailable("\(s3.engine): \(problem)")
            }
            blobs = s3
        } else if let dataDirectory {
            blobs = try FileBlobStore(directory: dataDirectory)
        } else {
            throw RegistryError.invalidArgument("blobs need --blobs or a data directory")
        }
        let metadata: any MetadataStore
        do {
            if let metadataURL {
                metadata = try await PostgresMetadataStore.connect(url: metadataURL, logger: logger)
            } else if let dataDirectory {
                metadata = try SQLiteMetadataStore(path: dataDirectory + "/index.sqlite")
            } else {
                throw RegistryError.invalidArgument("metadata needs --metadata or a data directory")
            }
        } catch {
            await blobs.close()
            throw error
        }
        logger.info("registry storage", metadata: ["metadata": "\(metadata.engine)", "blobs": "\(blobs.engine)"])
        return RegistryStore(metadata: metadata, blobs: blobs, directory: dataDirectory, lock: lock, logger: logger)
    }
}
