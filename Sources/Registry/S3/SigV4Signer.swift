import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// AWS Signature Version 4, header form, written out by hand (SHA-256 and HMAC-SHA256 come from
/// swift-crypto): canonical request → string to sign → signing key → `Authorization` header.
///
/// A pure value: the same signer, request and instant always give the same signature. The clock is
/// injected (`clock`, or an explicit `date` per call) so tests can sign at a documented instant.
///
/// Paths are given *unencoded* (`/bucket/key with space`); the canonical URI encodes every byte
/// outside the RFC 3986 unreserved set (`A–Z a–z 0–9 - . _ ~`) except `/`. S3 uses that once and
/// normalises nothing (`normalizePath` and `doubleEncode` false, the defaults); other AWS services
/// remove dot segments and duplicate slashes and encode the encoded path a second time.
struct SigV4Signer: Sendable {
    /// `SHA256("")`, the payload hash of a request without a body.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash S3 accepts for a body that is not signed.
    static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The algorithm name in the string to sign and the `Authorization` header.
    static let algorithm = "AWS4-HMAC-SHA256"

    /// The access key id (public half of the credentials).
    var accessKeyID: String
    /// The secret access key.
    var secretAccessKey: String
    /// A temporary-credentials session token, sent and signed as `x-amz-security-token`.
    var sessionToken: String?
    /// The region in the credential scope (`us-east-1`).
    var region: String
    /// The service in the credential scope (`s3`).
    var service: String
    /// Removes `.`/`..` segments and repeated slashes before encoding (non-S3 services).
    var normalizePath: Bool
    /// Percent-encodes the already-encoded path once more (non-S3 services).
    var doubleEncode: Bool
    /// Adds and signs `x-amz-content-sha256` (S3 requires it; the generic test suite omits it for
    /// unsigned bodies).
    var signsContentHash: Bool
    /// The clock, read when `sign` is given no date.
    var clock: @Sendable () -> Date

    /// A signer for S3 by default: no path normalisation, single encoding, signed content hash.
    init(
        accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, region: String,
        service: String = "s3", normalizePath: Bool = false, doubleEncode: Bool = false,
        signsContentHash: Bool = true, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
        self.normalizePath = normalizePath
        self.doubleEncode = doubleEncode
        self.signsContentHash = signsContentHash
        self.clock = clock
    }

    /// A signer for `credentials` in `region`, for S3.
    init(credentials: S3Credentials, region: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(
            accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken, region: region, clock: clock)
    }

    /// Everything signing produced: the intermediate texts (for tests and debugging) and the
    /// headers to add to the request.
    struct Signed: Sendable {
        /// The canonical request that was hashed.
        var canonicalRequest: String
        /// The string that was signed.
        var stringToSign: String
        /// The hex HMAC-SHA256 signature.
        var signature: String
        /// The `Authorization` header value.
        var authorization: String
        /// `x-amz-date` (`20150830T123600Z`).
        var amzDate: String
        /// The `SignedHeaders` list (`host;x-amz-date`).
        var signedHeaders: String
        /// Headers to add to the request: `x-amz-date`, then `x-amz-content-sha256` and
        /// `x-amz-security-token` when they apply, then `Authorization`.
        var headers: [(name: String, value: String)]
    }

    /// Signs a request. `path` is unencoded; `query` holds unencoded names and values (a bare
    /// `?name` is `("name", "")`); `headers` must include `host` and every other header to sign
    /// (repeated names are joined with commas, in order); `payloadHash` is the hex SHA-256 of the
    /// body, or ``unsignedPayload``.
    func sign(
        method: String, path: String, query: [(String, String)] = [], headers: [(String, String)],
        payloadHash: String, date: Date? = nil
    ) -> Signed {
        let amzDate = Self.amzDate(date ?? clock())
        let day = String(amzDate.prefix(8))

        var allHeaders = headers
        allHeaders.append(("x-amz-date", amzDate))
        if signsContentHash { allHeaders.append(("x-amz-content-sha256", payloadHash)) }
        if let sessionToken { allHeaders.append(("x-amz-security-token", sessionToken)) }

        // Lower-case names, values trimmed with inner whitespace runs collapsed, repeated names
        // joined by commas in their original order, sorted by name.
        var grouped: [String: [String]] = [:]
        var order: [String] = []
        for (name, value) in allHeaders {
            let key = name.lowercased()
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(Self.canonicalHeaderValue(value))
        }
        let names = order.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            method.uppercased(),
            canonicalURI(path),
            Self.canonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [Self.algorithm, amzDate, scope, Self.hexSHA256(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        let signature = Self.hex(Self.hmac(signingKey(day: day), Array(stringToSign.utf8)))
        let authorization =
            "\(Self.algorithm) Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"

        var added: [(name: String, value: String)] = [("x-amz-date", amzDate)]
        if signsContentHash { added.append(("x-amz-content-sha256", payloadHash)) }
        if let sessionToken { added.append(("x-amz-security-token", sessionToken)) }
        added.append(("Authorization", authorization))
        return Signed(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization, amzDate: amzDate, signedHeaders: signedHeaders, headers: added)
    }

    /// The signing key: HMAC chain over `AWS4` + secret, the day, region, service, `aws4_request`.
    func signingKey(day: String) -> [UInt8] {
        var key = Array(("AWS4" + secretAccessKey).utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Self.hmac(key, Array(part.utf8))
        }
        return key
    }

    /// The canonical URI of an unencoded path: normalised when `normalizePath`, then encoded (twice
    /// when `doubleEncode`). An empty path is `/`.
    func canonicalURI(_ path: String) -> String {
        var path = path.isEmpty ? "/" : path
        if normalizePath { path = Self.normalized(path) }
        let once = Self.encodePath(path)
        return doubleEncode ? Self.encodePath(once) : once
    }

    /// `path` with every byte outside the unreserved set and `/` percent-encoded (upper-case hex):
    /// the form to put in the request URL, and S3's canonical URI.
    static func encodePath(_ path: String) -> String {
        percentEncode(path, keepSlash: true)
    }

    /// `text` percent-encoded for a query name or value (only unreserved characters stay).
    static func encodeQueryComponent(_ text: String) -> String {
        percentEncode(text, keepSlash: false)
    }

    /// The canonical query string: names and values encoded, pairs sorted by encoded name, then
    /// value, joined as `a=1&b=`. Also the form to put in the request URL.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { pair in
            (encodeQueryComponent(pair.0), encodeQueryComponent(pair.1))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// `20150830T123600Z` for `date` (UTC).
    static func amzDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    /// Lower-case hex SHA-256 of `bytes`.
    static func hexSHA256(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(Array(hasher.finalize()))
    }

    /// Lower-case hex of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    private static func percentEncode(_ text: String, keepSlash: Bool) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3986 dot-segment removal plus collapsing of empty segments; keeps a trailing slash.
    private static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last
        let trailingSlash = path.hasSuffix("/") || last == "." || last == ".."
        var result = "/" + segments.joined(separator: "/")
        if trailingSlash && !segments.isEmpty { result += "/" }
        return result
    }

    /// A header value trimmed, with every run of whitespace (spaces, tabs, folded line breaks)
    /// turned into one space.
    private static func canonicalHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }
}
