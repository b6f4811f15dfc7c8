/// The child's environment: exactly what the spec gives, nothing inherited from the server.
enum Environment {
    /// `KEY=value` strings for `envp`, sorted so a child's environment is reproducible.
    ///
    /// Without namespaces `/tmp` cannot be made private, so `TMPDIR` points at the child's own directory instead
    /// (overriding the spec's value); with namespaces that directory is mounted at `/tmp` and nothing is added.
    static func entries(_ environment: [String: String], privateTemporaryDirectory: String?) -> [String] {
        variables(environment, privateTemporaryDirectory: privateTemporaryDirectory).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// The spec's variables, with `TMPDIR` set as `entries` sets it.
    static func variables(_ environment: [String: String], privateTemporaryDirectory: String?) -> [String: String] {
        var environment = environment
        if let privateTemporaryDirectory { environment["TMPDIR"] = privateTemporaryDirectory }
        return environment
    }
}
