// swift-tools-version: 6.0
// Coverage-guided fuzz targets (libFuzzer) for Churn's parsers of untrusted bytes: the wire frame
// decoder with every message body decoder, and the CSV reader with schema inference. Built and run
// by scripts/fuzz.sh with `-sanitize=fuzzer` (plus address sanitizer); depends on the root package
// by path, so it fuzzes the same sources.
import PackageDescription

let package = Package(
    name: "churn-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "churn", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "FuzzWireFrames",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "Wire", package: "churn"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "FuzzCSV",
            dependencies: ["CFuzzerDriver", .product(name: "ChurnML", package: "churn")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
