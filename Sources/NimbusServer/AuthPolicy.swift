package import NimbusWire

/// Decides how signatures are treated, as DESIGN.md says: open on loopback, verified
/// everywhere else (or when asked), and never listening beyond loopback without keys.
package enum AuthPolicy {
    /// The auth mode for `configuration`.
    /// - Throws: `ConfigurationError` when verification is required but no keys are configured.
    package static func mode(for configuration: ServerConfiguration) throws -> AuthMode {
        let mustVerify = configuration.verifySignatures || !configuration.isLoopback
        guard mustVerify else { return .open }
        guard let path = configuration.credentialsFile else {
            throw ConfigurationError(
                configuration.isLoopback
                    ? "--verify-signatures needs access keys: pass --credentials FILE (or NIMBUS_CREDENTIALS)"
                    : "refusing to listen on \(configuration.host) without access keys: signatures must be verified beyond loopback; "
                        + "pass --credentials FILE (or NIMBUS_CREDENTIALS), or bind to 127.0.0.1"
            )
        }
        return .verify(try CredentialsFile.load(path))
    }

    package static func describe(_ mode: AuthMode) -> String {
        switch mode {
        case .open: "open (any well-formed credentials; loopback only)"
        case .verify(let keys): "SigV4 verified (\(keys.count) access key\(keys.count == 1 ? "" : "s"))"
        }
    }
}
