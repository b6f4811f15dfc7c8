// swift-tools-version:6.2
import PackageDescription

// A Swift Lambda function built on Nimbus's runtime library. Outside this repository, depend on
// the Nimbus package by URL instead of by path.
let package = Package(
    name: "swift-hello",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "nimbus", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "hello",
            dependencies: [.product(name: "NimbusLambdaRuntime", package: "nimbus")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
