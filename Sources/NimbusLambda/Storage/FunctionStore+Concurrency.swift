import NimbusStore

/// Reserved concurrency (`PutFunctionConcurrency`, one row per function that has any) and
/// provisioned concurrency (`PutProvisionedConcurrencyConfig`, one row per version or alias).
extension FunctionStore {
    /// Every function's reserved concurrency, by name.
    func reservedConcurrency() async throws -> [String: Int] {
        var reserved: [String: Int] = [:]
        for row in try await store.query("SELECT name, reserved FROM lambda_concurrency") {
            if let name = row.string("name"), let value = row.int("reserved") { reserved[name] = Int(value) }
        }
        return reserved
    }

    /// Sets (or with `nil` removes) a function's reserved concurrency.
    func setReservedConcurrency(_ reserved: Int?, of name: String) async throws {
        try await store.transaction { transaction in
            try await transaction.execute("DELETE FROM lambda_concurrency WHERE name = \(name)")
            if let reserved {
                try await transaction.execute("INSERT INTO lambda_concurrency (name, reserved) VALUES (\(name), \(reserved))")
            }
        }
    }

    /// A provisioned concurrency configuration as stored.
    struct Provisioned: Sendable, Hashable {
        var functionName: String
        var qualifier: String
        var requested: Int
        var lastModified: String
    }

    func provisioned(of name: String) async throws -> [Provisioned] {
        try await store.query("SELECT name, qualifier, requested, last_modified FROM lambda_provisioned WHERE name = \(name) ORDER BY qualifier")
            .map(Self.provisioned)
    }

    func allProvisioned() async throws -> [Provisioned] {
        try await store.query("SELECT name, qualifier, requested, last_modified FROM lambda_provisioned ORDER BY name, qualifier").map(
            Self.provisioned
        )
    }

    func setProvisioned(_ provisioned: Provisioned) async throws {
        let (name, qualifier) = (provisioned.functionName, provisioned.qualifier)
        try await store.transaction { transaction in
            try await transaction.execute("DELETE FROM lambda_provisioned WHERE name = \(name) AND qualifier = \(qualifier)")
            try await transaction.execute(
                """
                INSERT INTO lambda_provisioned (name, qualifier, requested, last_modified)
                VALUES (\(name), \(qualifier), \(provisioned.requested), \(provisioned.lastModified))
                """
            )
        }
    }

    func deleteProvisioned(of name: String, qualifier: String) async throws {
        try await store.execute("DELETE FROM lambda_provisioned WHERE name = \(name) AND qualifier = \(qualifier)")
    }

    private static func provisioned(_ row: SQLRow) -> Provisioned {
        Provisioned(
            functionName: row.string("name") ?? "",
            qualifier: row.string("qualifier") ?? "",
            requested: Int(row.int("requested") ?? 0),
            lastModified: row.string("last_modified") ?? ""
        )
    }
}
