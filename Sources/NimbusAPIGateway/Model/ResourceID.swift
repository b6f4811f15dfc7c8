/// Identifiers as API Gateway makes them: lower-case letters and digits, 10 characters for an
/// API, 7 for routes and integrations, 6 for deployments and authorizers.
enum ResourceID {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    static func make(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func api() -> String { make(length: 10) }
    static func route() -> String { make(length: 7) }
    static func integration() -> String { make(length: 7) }
    static func deployment() -> String { make(length: 6) }
    static func authorizer() -> String { make(length: 6) }
}
