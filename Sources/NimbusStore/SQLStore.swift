/// The SQL dialect of a backend, for the few statements (mostly DDL) that differ.
package enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// Statements run inside one transaction.
package protocol SQLTransaction: Sendable {
    func execute(_ statement: SQL) async throws
    func query(_ statement: SQL) async throws -> [SQLRow]
}

/// The relational store every service keeps its state in (SQLite embedded, PostgreSQL in a cluster).
///
/// Services use only this API, never a backend's types, so that a backend can be swapped
/// without touching them. A write is durable once the call returns.
package protocol SQLStore: Sendable {
    var dialect: SQLDialect { get }
    /// A short description for logs and health, e.g. the database path.
    var location: String { get }

    /// Runs one statement in its own transaction.
    func execute(_ statement: SQL) async throws
    /// Runs a query and returns its rows; sees only committed data.
    func query(_ statement: SQL) async throws -> [SQLRow]
    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T
    /// Makes every transaction committed before the call durable against a power loss or an
    /// operating-system crash, not only against a crash of the process (the default guarantee).
    ///
    /// For writes whose acknowledgement promises they are on disk (an S3 PUT). Concurrent
    /// callers share one flush where the backend allows it, so a group of writes pays for one.
    func syncCommitted() async throws
    /// Applies the migrations not applied yet, in order, each in its own transaction.
    /// - Returns: the ids of the migrations applied now.
    @discardableResult
    func migrate(_ migrations: [Migration]) async throws -> [String]
    /// Closes the store; later calls fail.
    func close() async throws
}

/// A versioned schema change. Ids are unique and ordered by the list they are passed in.
package struct Migration: Sendable {
    package var id: String
    package var statements: @Sendable (SQLDialect) -> [SQL]

    package init(id: String, statements: @escaping @Sendable (SQLDialect) -> [SQL]) {
        self.id = id
        self.statements = statements
    }
}

/// Failures of the store itself (not of a statement's logic).
package struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        case closed
        case cannotOpen
        case invalidKey
        case io
    }

    package let code: Code
    package let detail: String

    package init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    package var description: String { "\(code): \(detail)" }
}
