/// The runtimes Nimbus runs (DESIGN.md, Lambda): python on the host's python3, node on the
/// host's node, `provided*` by the zip's own `bootstrap`.
enum LambdaRuntime {
    static let supported: Set<String> = [
        "python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
        "nodejs18.x", "nodejs20.x", "nodejs22.x",
        "provided", "provided.al2", "provided.al2023",
    ]

    static func needsHandler(_ runtime: String) -> Bool { !runtime.hasPrefix("provided") }
}
