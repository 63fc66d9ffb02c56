import Foundation
import Testing

@testable import Registry

/// Parsing of object-store locations and credentials, and the small XML and date readers. No server.
@Suite("S3 location, credentials and parsing")
struct S3LocationTests {
    @Test("a custom endpoint is addressed path-style; region defaults to us-east-1")
    func customEndpoint() throws {
        let location = try S3Location("s3://churn-blobs/reg/one/?endpoint=http://127.0.0.1:8333")
        #expect(location.bucket == "churn-blobs" && location.prefix == "reg/one")
        #expect(location.scheme == "http" && location.host == "127.0.0.1" && location.port == 8333)
        #expect(location.region == "us-east-1" && location.pathStyle)
        #expect(location.hostHeader == "127.0.0.1:8333")
        #expect(location.path(forKey: location.key("blobs/x")) == "/churn-blobs/reg/one/blobs/x")
        #expect(location.path(forKey: nil) == "/churn-blobs")
    }

    @Test("without an endpoint: AWS, virtual-hosted, in the given region; the prefix may be empty")
    func aws() throws {
        let location = try S3Location("s3://my-bucket?region=eu-west-3")
        #expect(location.prefix == "" && location.key("blobs/x") == "blobs/x")
        #expect(location.endpointURL == "https://my-bucket.s3.eu-west-3.amazonaws.com")
        #expect(!location.pathStyle && location.path(forKey: "k") == "/k" && location.path(forKey: nil) == "/")
        let dotted = try S3Location("s3://my.bucket/p")
        #expect(dotted.pathStyle && dotted.endpointURL == "https://s3.us-east-1.amazonaws.com")
        let encoded = try S3Location("s3://b12/p?endpoint=https%3A%2F%2Fminio.local&region=us-west-2")
        #expect(encoded.endpointURL == "https://minio.local" && encoded.region == "us-west-2")
    }

    @Test(
        "bad locations are refused with a reason naming what is wrong",
        arguments: [
            ("http://bucket/p", "must start with s3://"),
            ("s3:///prefix", "bucket name is missing"),
            ("s3://Bucket/p", "lower-case letters"),
            ("s3://ab/p", "3 to 63 characters"),
            ("s3://-bucket/p", "start and end with a letter or digit"),
            ("s3://bucket/p?endpoint=ftp://host", "must be an http:// or https:// URL"),
            ("s3://bucket/p?endpoint=http://host/path", "must not have a path"),
            ("s3://bucket/p?endpoint=", "has no value"),
            ("s3://bucket/p?color=red", "unknown parameter \"color\""),
            ("s3://bucket/p?region=EU", "lower-case letters, digits and dashes"),
            ("s3://bucket/a/../b", ". or .."),
        ])
    func badLocations(_ text: String, _ reason: String) {
        do {
            _ = try S3Location(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
            #expect("\(error)".contains("object store location"), "\(error)")
        }
    }

    @Test("credentials from the environment, with clear errors, and from trimmed files")
    func credentials() throws {
        let full = try S3Credentials.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": " Sx9qv\n", "AWS_SESSION_TOKEN": "Tz7kw",
        ])
        #expect(full == S3Credentials(accessKeyID: "AKID", secretAccessKey: "Sx9qv", sessionToken: "Tz7kw"))
        #expect("\(full)".contains("AKID"))
        #expect(!"\(full)".contains("Sx9qv") && !"\(full)".contains("Tz7kw"))
        #expect(
            try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"]).sessionToken
                == nil)
        #expect(throws: RegistryError.self) { try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "A"]) }
        do {
            _ = try S3Credentials.fromEnvironment([:])
        } catch {
            #expect("\(error)".contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"), "\(error)")
        }

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "  AKIDFILE\n".write(toFile: directory.path + "/id", atomically: true, encoding: .utf8)
        try "\tsecret-from-file \n\n".write(toFile: directory.path + "/secret", atomically: true, encoding: .utf8)
        try "\n".write(toFile: directory.path + "/empty", atomically: true, encoding: .utf8)
        let fromFiles = try S3Credentials(
            accessKeyFile: directory.path + "/id", secretKeyFile: directory.path + "/secret")
        #expect(fromFiles == S3Credentials(accessKeyID: "AKIDFILE", secretAccessKey: "secret-from-file"))
        #expect(throws: RegistryError.self) {
            try S3Credentials(accessKeyFile: directory.path + "/missing", secretKeyFile: directory.path + "/secret")
        }
        #expect(throws: RegistryError.self) {
            try S3Credentials(accessKeyFile: directory.path + "/id", secretKeyFile: directory.path + "/empty")
        }
    }

    @Test("the XML scanner reads listings and errors; timestamps parse")
    func parsing() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>true</IsTruncated>\
            <Contents><Key>a&amp;b/&lt;1&gt;</Key><Size>12</Size><LastModified>2026-08-20T10:11:12.345Z</LastModified></Contents>\
            <Contents><Key>c</Key><Size>0</Size></Contents><KeyCount>2</KeyCount>\
            <NextContinuationToken>tok/+=</NextContinuationToken><Prefix/></ListBucketResult>
            """
        let blocks = S3XML.blocks("Contents", in: xml[...])
        #expect(blocks.count == 2)
        #expect(S3XML.firstText("Key", in: blocks[0]) == "a&b/<1>")
        #expect(S3XML.firstText("Key", in: xml[...]) == "a&b/<1>")
        #expect(S3XML.firstText("NextContinuationToken", in: xml[...]) == "tok/+=")
        #expect(S3XML.firstText("Prefix", in: xml[...]) == "")
        #expect(S3XML.firstText("KeyCountX", in: xml[...]) == nil)
        #expect(S3XML.unescape("&#65;&#x42;&quot;&apos;&bogus;") == "AB\"'&bogus;")

        // 2026-08-20T10:11:12Z is 1787220672 s after the epoch (date -u -d @1787220672).
        #expect(S3Timestamps.iso8601Millis("2026-08-20T10:11:12.345Z") == 1_787_220_672_345)
        #expect(S3Timestamps.iso8601Millis("2026-08-20T10:11:12Z") == 1_787_220_672_000)
        #expect(S3Timestamps.httpDateMillis("Thu, 20 Aug 2026 10:11:12 GMT") == 1_787_220_672_000)
        #expect(S3Timestamps.iso8601Millis("yesterday") == nil)
        #expect(S3Timestamps.httpDateMillis("Thu, 20 Foo 2026 10:11:12 GMT") == nil)
    }
}
