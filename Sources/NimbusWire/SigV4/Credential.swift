/// An access key pair and the principal it belongs to.
package struct Credential: Sendable, Hashable {
    package var accessKeyID: String
    package var secretAccessKey: String
    /// The IAM user name the key belongs to (the credentials file's profile name).
    package var principal: String

    package init(accessKeyID: String, secretAccessKey: String, principal: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.principal = principal
    }
}

/// Who made a request, as far as its signature tells.
package struct CallerIdentity: Sendable, Hashable {
    /// The access key id, `nil` for anonymous requests.
    package var accessKeyID: String?
    /// The IAM user the key belongs to; `nil` means the account's root (open mode).
    package var principal: String?

    package init(accessKeyID: String?, principal: String?) {
        self.accessKeyID = accessKeyID
        self.principal = principal
    }

    package static let anonymous = CallerIdentity(accessKeyID: nil, principal: nil)
}

/// How the edge treats signatures.
package enum AuthMode: Sendable {
    /// Any well-formed signature is accepted without checking it (the loopback default, like a local cloud).
    case open
    /// Signatures are verified against these access keys (keyed by access key id).
    case verify([String: Credential])
}
