import Foundation

/// Where blobs live in an object store, parsed from
/// `s3://BUCKET/PREFIX?endpoint=http://HOST:PORT&region=R`.
///
/// `endpoint` is optional (AWS: `https://s3.REGION.amazonaws.com`, virtual-hosted addressing,
/// `BUCKET.s3.REGION.amazonaws.com`); a custom endpoint (MinIO, SeaweedFS, Ceph…) is addressed
/// path-style (`ENDPOINT/BUCKET/KEY`). `region` defaults to `us-east-1`. The prefix may be empty;
/// otherwise it is kept without leading or trailing slashes and keys are `PREFIX/…`.
struct S3Location: Sendable, Equatable, CustomStringConvertible {
    /// The bucket name.
    var bucket: String
    /// The key prefix, without leading or trailing `/` (may be empty).
    var prefix: String
    /// `http` or `https`.
    var scheme: String
    /// The endpoint host (for virtual-hosted addressing, already including the bucket).
    var host: String
    /// The endpoint port, when the URL names one.
    var port: Int?
    /// The signing region.
    var region: String
    /// Path-style addressing (`/BUCKET/KEY`) rather than virtual-hosted (`/KEY` on `BUCKET.host`).
    var pathStyle: Bool

    /// The region used when the location names none.
    static let defaultRegion = "us-east-1"

    /// Parses `text`; the error names what is wrong with it.
    init(_ text: String) throws {
        func bad(_ reason: String) -> RegistryError {
            .invalidArgument("object store location \"\(RegistryError.abbreviated(text))\": \(reason)")
        }
        guard text.hasPrefix("s3://") else { throw bad("it must start with s3://") }
        let rest = text.dropFirst("s3://".count)
        let (locator, queryText): (Substring, Substring?) =
            if let mark = rest.firstIndex(of: "?") { (rest[..<mark], rest[rest.index(after: mark)...]) } else {
                (rest, nil)
            }
        let bucketEnd = locator.firstIndex(of: "/") ?? locator.endIndex
        let bucket = String(locator[..<bucketEnd])
        guard !bucket.isEmpty else { throw bad("the bucket name is missing (s3://BUCKET/PREFIX)") }
        if let problem = Self.bucketProblem(bucket) { throw bad("bucket \"\(bucket)\" \(problem)") }
        let prefix = locator[bucketEnd...].split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        if prefix.utf8.count > 512 { throw bad("the prefix is longer than 512 bytes") }
        if prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
            throw bad("the prefix must not contain . or .. segments")
        }

        var endpoint: String?
        var region: String?
        for pair in (queryText ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: "=") ?? pair.endIndex
            let name = String(pair[..<equals])
            let rawValue = equals == pair.endIndex ? "" : String(pair[pair.index(after: equals)...])
            guard let value = rawValue.removingPercentEncoding, !value.isEmpty else {
                throw bad("parameter \(name) has no value (or a malformed %-escape)")
            }
            switch name {
            case "endpoint":
                guard endpoint == nil else { throw bad("endpoint is given twice") }
                endpoint = value
            case "region":
                guard region == nil else { throw bad("region is given twice") }
                guard
                    value.utf8.allSatisfy({
                        $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7a)
                    })
                else { throw bad("region \"\(value)\" must be lower-case letters, digits and dashes") }
                region = value
            default:
                throw bad("unknown parameter \"\(name)\" (known: endpoint, region)")
            }
        }
        self.bucket = bucket
        self.prefix = prefix
        self.region = region ?? Self.defaultRegion
        if let endpoint {
            guard let components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
                scheme == "http" || scheme == "https"
            else { throw bad("endpoint \"\(endpoint)\" must be an http:// or https:// URL") }
            guard let host = components.host, !host.isEmpty else { throw bad("endpoint \"\(endpoint)\" has no host") }
            guard components.path.isEmpty || components.path == "/" else {
                throw bad("endpoint \"\(endpoint)\" must not have a path (give the bucket after s3://)")
            }
            guard components.query == nil, components.user == nil else {
                throw bad("endpoint \"\(endpoint)\" must be just scheme://host[:port]")
            }
            self.scheme = scheme
            self.host = host
            self.port = components.port
            self.pathStyle = true
        } else {
            // Virtual-hosted addressing, unless a dotted bucket name would break the TLS wildcard.
            self.scheme = "https"
            self.port = nil
            self.pathStyle = bucket.contains(".")
            let service = "s3.\(self.region).amazonaws.com"
            self.host = pathStyle ? service : "\(bucket).\(service)"
        }
    }

    /// The `Host` header value (with the port when the URL names one).
    var hostHeader: String {
        port.map { "\(host):\($0)" } ?? host
    }

    /// `scheme://host[:port]`.
    var endpointURL: String {
        "\(scheme)://\(hostHeader)"
    }

    /// The unencoded request path of `key` (`/BUCKET/KEY` or `/KEY`); `nil` is the bucket itself.
    func path(forKey key: String?) -> String {
        let bucketPath = pathStyle ? "/" + bucket : ""
        guard let key else { return bucketPath.isEmpty ? "/" : bucketPath }
        return bucketPath + "/" + key
    }

    /// `PREFIX/relative`, or `relative` when the prefix is empty.
    func key(_ relative: String) -> String {
        prefix.isEmpty ? relative : prefix + "/" + relative
    }

    /// `s3://BUCKET/PREFIX` (without parameters), for messages.
    var description: String {
        prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
    }

    /// Why `name` is not a valid S3 bucket name, or nil when it is.
    static func bucketProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return "must be 3 to 63 characters long" }
        func isLowerOrDigit(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) }
        guard bytes.allSatisfy({ isLowerOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            return "may hold only lower-case letters, digits, dots and dashes"
        }
        guard isLowerOrDigit(bytes.first!), isLowerOrDigit(bytes.last!) else {
            return "must start and end with a letter or digit"
        }
        guard !name.contains("..") else { return "must not contain two dots in a row" }
        return nil
    }
}
