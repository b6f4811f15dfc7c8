import Synchronization

/// Where each provisioned concurrency configuration's allocation stands, by `name:qualifier`:
/// `IN_PROGRESS` while instances start, `READY` once all of them wait initialised, `FAILED`
/// with the reason when one could not initialise. Kept in memory: after a restart the
/// allocations run again (IN_PROGRESS until they finish).
final class ProvisionedAllocations: Sendable {
    struct Status: Sendable, Hashable {
        var state: String
        var allocated: Int
        var reason: String?
    }

    private let statuses = Mutex<[String: Status]>([:])

    func status(of name: String, qualifier: String) -> Status? {
        statuses.withLock { $0["\(name):\(qualifier)"] }
    }

    func set(_ status: Status?, of name: String, qualifier: String) {
        statuses.withLock { $0["\(name):\(qualifier)"] = status }
    }
}
