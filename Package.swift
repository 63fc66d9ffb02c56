// swift-tools-version: 6.0
// Churn — customer-churn prediction: OpenBLAS-backed neural network, model registry,
// trainer and predictor services over a length-prefixed binary protocol.
//
// Dependencies flow one way:
//   churn → role libraries → ServiceKit → Wire
//                          → ChurnClient → Wire, ChurnML
//                          → PostgresSupport → PostgresNIO (registry and trainer only)
//                          → ChurnML → LinearAlgebra → COpenBLAS
//   (ChurnML also reads gzip-compressed CSV through zlib: CZlib; the Gateway uses ChurnML's
//   readers and insights but never predicts with it; Wire depends on no Churn module)
//
// Test and load tooling lives outside the production targets, the way swift-nio keeps
// NIOTestUtils, NIOPerformanceTester and NIOCrashTester apart:
//   churn        → ChurnLoad (the load generators behind `churn bench …`)
//   churn-chaos  → ChurnChaos → ChurnLoad → role libraries/ServiceKit/Wire/ChurnML
//   (the reliability and security drills: scripts/chaos.sh, the registry crash and replica drills)
// No production target (Wire, ServiceKit, the roles, ChurnML) depends on ChurnLoad or ChurnChaos,
// and `churn` does not depend on ChurnChaos.
import PackageDescription

let package = Package(
    name: "churn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "churn", targets: ["churn"]),
        .executable(name: "churn-chaos", targets: ["churn-chaos"]),
        .library(name: "ChurnML", targets: ["ChurnML"]),
        .library(name: "Wire", targets: ["Wire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // OpenBLAS through pkg-config; only LinearAlgebra imports it.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // zlib through pkg-config, for `.csv.gz` files; only ChurnML's Gzip imports it.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "LinearAlgebra",
            dependencies: ["COpenBLAS"]
        ),
        .target(
            name: "ChurnML",
            dependencies: [
                "LinearAlgebra",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Wire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What clients need from both the protocol and the ML library: tables as Predict columns,
        // the training-options codec, epoch reports as job progress. `churn predict --predictor`
        // and `churn jobs submit` use it instead of the predictor's and trainer's server libraries.
        .target(
            name: "ChurnClient",
            dependencies: ["ChurnML", "Wire"]
        ),
        // What the roles that keep state in PostgreSQL (registry, trainer) share: LISTEN with reconnects.
        .target(
            name: "PostgresSupport",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The registry's durable storage: content-addressed blobs (files, or S3 through
        // async-http-client) and the index with its event log (SQLite, or PostgreSQL).
        .target(
            name: "Registry",
            dependencies: [
                "ChurnML",
                "Wire",
                "ServiceKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "PostgresSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The trainer role: durable training jobs, executed off the event loop.
        .target(
            name: "Trainer",
            dependencies: [
                "ChurnML",
                "Wire",
                "ChurnClient",
                "ServiceKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "PostgresSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The predictor role: serves a model bundle over the wire, hot-swapping versions.
        .target(
            name: "Predictor",
            dependencies: [
                "ChurnML",
                "Wire",
                "ChurnClient",
                "ServiceKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The gateway role: HTML pages and a JSON API over HTTP (Hummingbird), calling the other
        // roles over the wire protocol only.
        .target(
            name: "Gateway",
            dependencies: [
                "ChurnML",
                "Wire",
                "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Load generators and benchmark drivers (closed-loop Ping/Predict load, the registry
        // benchmark): tooling, not part of any role.
        .target(
            name: "ChurnLoad",
            dependencies: [
                "ChurnML",
                "Wire",
                "ServiceKit",
                "Registry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The reliability and security drills: hostile frames and connections, the answer-dropping
        // proxy, the chaos writer's acknowledgements and their check, the registry crash drill.
        .target(
            name: "ChurnChaos",
            dependencies: [
                "ChurnML",
                "Wire",
                "ServiceKit",
                "Registry",
                "ChurnLoad",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // `churn-chaos …`: the drills' command line (scripts/chaos.sh, scripts/registry-*-drill.sh).
        .executableTarget(
            name: "churn-chaos",
            dependencies: [
                "ChurnChaos",
                "ChurnLoad",
                "Wire",
                "ServiceKit",
                "Registry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "churn",
            dependencies: [
                "ChurnLoad",
                "ChurnML",
                "ChurnClient",
                "Wire",
                "ServiceKit",
                "Registry",
                "Trainer",
                "Predictor",
                "Gateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "ChurnMLTests", dependencies: ["ChurnML", "LinearAlgebra"]),
        .testTarget(
            name: "WireTests",
            dependencies: [
                "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ChurnCLITests", dependencies: ["churn", "churn-chaos"]),
        .testTarget(
            name: "ChurnChaosTests",
            dependencies: [
                "ChurnChaos", "Registry", "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PredictorTests",
            dependencies: [
                "ChurnClient", "Predictor", "ChurnML", "Wire", "ServiceKit", "Registry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "Registry", "ChurnML", "Wire", "ServiceKit", "ChurnChaos",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Predictor", "Registry", "Trainer", "ChurnML", "Wire", "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "TrainerTests",
            dependencies: [
                "ChurnClient", "Trainer", "ChurnML", "Wire", "ServiceKit", "Registry", "ChurnChaos",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
