import Foundation
package import NimbusWire

/// Reads access keys from a file in the AWS shared-credentials format:
///
///     [alice]
///     aws_access_key_id = AKIA…
///     aws_secret_access_key = …
///
/// Each profile is an IAM user of the account; its name appears in `GetCallerIdentity`.
package enum CredentialsFile {
    /// The keys in the file at `path`, by access key id.
    /// - Throws: `ConfigurationError` naming the file and line at fault.
    package static func load(_ path: String) throws -> [String: Credential] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("cannot read credentials file \(path)")
        }
        return try parse(text, source: path)
    }

    package static func parse(_ text: String, source: String = "credentials") throws -> [String: Credential] {
        var credentials: [String: Credential] = [:]
        var profile: String?
        var values: [String: String] = [:]
        func finish() throws {
            guard let name = profile else { return }
            guard let keyID = values["aws_access_key_id"], let secret = values["aws_secret_access_key"], !keyID.isEmpty, !secret.isEmpty
            else {
                throw ConfigurationError("\(source): profile [\(name)] needs aws_access_key_id and aws_secret_access_key")
            }
            credentials[keyID] = Credential(accessKeyID: keyID, secretAccessKey: secret, principal: name)
        }
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw ConfigurationError("\(source):\(number + 1): malformed section header") }
                try finish()
                profile = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                values = [:]
                continue
            }
            guard profile != nil, let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError("\(source):\(number + 1): expected 'key = value' inside a [profile]")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        try finish()
        guard !credentials.isEmpty else { throw ConfigurationError("\(source): no profiles with access keys") }
        return credentials
    }
}
