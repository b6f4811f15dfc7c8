// swift-tools-version:6.2
// Baseline for `scripts/bench edge`: the smallest Hummingbird 2 server, built with the
// same Hummingbird version and traits as Nimbus, so the benchmark can tell what the
// Nimbus edge pipeline costs on top of the framework.
import PackageDescription

let package = Package(
    name: "HelloHummingbird",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: [])
    ],
    targets: [
        .executableTarget(
            name: "HelloHummingbird",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
