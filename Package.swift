// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target (see ../shared/STYLE.md).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "nimbus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nimbus", targets: ["nimbus"]),
        .library(name: "NimbusLambdaRuntime", targets: ["NimbusLambdaRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "NimbusCore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusWire",
            dependencies: [
                "NimbusCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Models")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusStore",
            dependencies: ["NimbusCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CSQLiteOptions",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .target(
            name: "NimbusStoreSQLite",
            dependencies: [
                "CSQLiteOptions",
                "NimbusCore",
                "NimbusStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusEventPatterns",
            dependencies: ["NimbusWire"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusSTS",
            dependencies: ["NimbusCore", "NimbusWire"],
            swiftSettings: swiftSettings
        ),
        .target(name: "CSandbox"),
        .target(
            name: "NimbusSandbox",
            dependencies: ["CSandbox", "NimbusCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusRuntimes",
            path: "Runtimes",
            resources: [.copy("python"), .copy("node")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusLambda",
            dependencies: [
                "NimbusCore",
                "NimbusWire",
                "NimbusStore",
                "NimbusEventPatterns",
                "NimbusSandbox",
                "NimbusRuntimes",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusLogs",
            dependencies: ["NimbusCore", "NimbusWire", "NimbusStore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusSNS",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusStore", "NimbusEventPatterns",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusSQS",
            dependencies: ["NimbusCore", "NimbusWire", "NimbusStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusS3",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusAPIGateway",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusLambdaRuntime",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusServer",
            dependencies: [
                "NimbusCore",
                "NimbusWire",
                "NimbusStore",
                "NimbusStoreSQLite",
                "NimbusAPIGateway",
                "NimbusLambda",
                "NimbusLogs",
                "NimbusSNS",
                "NimbusS3",
                "NimbusSQS",
                "NimbusSTS",
                "NimbusSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "nimbus",
            dependencies: [
                "NimbusCore",
                "NimbusServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NimbusTesting",
            dependencies: ["NimbusCore", "NimbusStore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "NimbusEventPatternsTests", dependencies: ["NimbusEventPatterns", "NimbusWire"], swiftSettings: swiftSettings),
        .testTarget(name: "NimbusCoreTests", dependencies: ["NimbusCore", "NimbusTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NimbusWireTests",
            dependencies: ["NimbusCore", "NimbusWire", .product(name: "HTTPTypes", package: "swift-http-types")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusStoreSQLiteTests",
            dependencies: ["NimbusStore", "NimbusStoreSQLite", "NimbusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusSandboxTests",
            dependencies: ["NimbusSandbox", "NimbusRuntimes", "NimbusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusLambdaTests",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusLambda", "NimbusSandbox", "NimbusStoreSQLite", "NimbusTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusLogsTests",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusLogs", "NimbusStoreSQLite", "NimbusTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusS3Tests",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusStore", "NimbusS3", "NimbusStoreSQLite", "NimbusTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusSQSTests",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusSQS", "NimbusStoreSQLite", "NimbusTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusSNSTests",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusSNS", "NimbusStoreSQLite", "NimbusTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusAPIGatewayTests",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusAPIGateway", "NimbusStoreSQLite", "NimbusTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "NimbusLambdaRuntimeTests", dependencies: ["NimbusLambdaRuntime"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NimbusSTSTests",
            dependencies: ["NimbusCore", "NimbusWire", "NimbusSTS", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NimbusServerTests",
            dependencies: [
                "NimbusCore", "NimbusWire", "NimbusAPIGateway", "NimbusLambda", "NimbusServer", "NimbusStore", "NimbusTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
