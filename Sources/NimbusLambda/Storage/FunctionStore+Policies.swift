import NimbusStore
import NimbusWire

/// Resource policies (`AddPermission`): each function, version or alias has its own list of
/// statements, stored as JSON with a revision that changes on every edit.
extension FunctionStore {
    struct Policy {
        var statements: [JSONValue]
        var revisionID: String
    }

    /// The policy of `name` for `qualifier` ('' for the unqualified function), or `nil`.
    func policy(of name: String, qualifier: String) async throws -> Policy? {
        guard
            let row = try await store.query(
                "SELECT statements, revision_id FROM lambda_policies WHERE name = \(name) AND qualifier = \(qualifier)"
            ).first
        else { return nil }
        guard case .array(let statements) = try JSONParser.parse(row.bytes("statements") ?? []) else { return nil }
        return Policy(statements: statements, revisionID: row.string("revision_id") ?? "")
    }

    /// Replaces the policy in one transaction: `edit` gets the current one (or `nil`) and
    /// returns the new statements, or throws to leave it as it was. No statements deletes it.
    func editPolicy(
        of name: String,
        qualifier: String,
        newRevision: String,
        _ edit: @escaping @Sendable (Policy?) throws -> [JSONValue]
    ) async throws {
        try await store.transaction { transaction in
            let row = try await transaction.query(
                "SELECT statements, revision_id FROM lambda_policies WHERE name = \(name) AND qualifier = \(qualifier)"
            ).first
            let current = try row.map { row -> Policy in
                guard case .array(let statements) = try JSONParser.parse(row.bytes("statements") ?? []) else {
                    return Policy(statements: [], revisionID: "")
                }
                return Policy(statements: statements, revisionID: row.string("revision_id") ?? "")
            }
            let statements = try edit(current)
            try await transaction.execute("DELETE FROM lambda_policies WHERE name = \(name) AND qualifier = \(qualifier)")
            guard !statements.isEmpty else { return }
            let json = String(decoding: JSONWriter.encode(.array(statements)), as: UTF8.self)
            try await transaction.execute(
                "INSERT INTO lambda_policies (name, qualifier, statements, revision_id) VALUES (\(name), \(qualifier), \(json), \(newRevision))"
            )
        }
    }
}
