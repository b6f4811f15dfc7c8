/// How tightly a child is confined beyond its rlimits: cgroup limits, namespaces and a private `/tmp`.
///
/// Every field is optional in effect: `nil` or empty means "no limit" or "nothing to do". Where the host lacks a
/// mechanism the fallback in `docs/sandbox.md` applies (memory is then watched by polling RSS; `/tmp` is then only
/// private through `TMPDIR`).
package struct Confinement: Sendable, Hashable {
    /// The memory the child's whole process tree may use; past it the tree is killed and reported out of memory.
    package var memoryLimitBytes: Int?
    /// cgroup v1 `cpu.shares` semantics: 1,024 is one CPU's share under contention (mapped to `cpu.weight` on v2).
    package var cpuShares: Int?
    /// The CPUs the child's processes may run on (inherited by everything it forks); `nil` for
    /// all the server was started with.
    package var cpus: [Int]?
    /// How the child's processes are scheduled beside the server's threads.
    package var scheduling: Scheduling
    /// The number of processes and threads the tree may hold at once (`pids.max`); forks past it fail with `EAGAIN`.
    package var maxProcesses: Int?
    /// When set, a fresh directory (mode 0700) under this root becomes the child's `/tmp`, and is removed with the child.
    package var temporaryDirectoryRoot: String?
    /// The size the child's `/tmp` may reach; past it the tree is killed (`ResourceUsage.temporaryDirectoryExceeded`).
    package var temporaryDirectoryBytes: Int?
    /// Host paths the child sees read-only (with namespaces), even inside a hidden path.
    package var readOnlyPaths: [String]
    /// Host paths replaced by an empty read-only directory inside the child's namespace.
    package var hiddenPaths: [String]
    /// With namespaces, the host directory the child sees read-only at `Confinement.taskRoot`; `nil` leaves that
    /// directory empty, for `ChildProcess.mountTaskDirectory` to fill once the child runs.
    package var taskDirectory: String?
    /// Runs the child in its own mount and pid namespaces through bubblewrap when the host has it.
    package var useNamespaces: Bool
    /// Puts the child in its own cgroup when the host offers one; `false` forces the polling fallback.
    package var useCgroups: Bool

    /// Where a namespaced child sees its `taskDirectory`: `/var/task`, as on Lambda. The child's `/var` is a fresh
    /// directory holding only it (and `/var/run` and `/var/lock`, links into `/run`).
    package static let taskRoot = "/var/task"

    package init(
        memoryLimitBytes: Int? = nil,
        cpuShares: Int? = nil,
        cpus: [Int]? = nil,
        scheduling: Scheduling = .inherited,
        maxProcesses: Int? = nil,
        temporaryDirectoryRoot: String? = nil,
        temporaryDirectoryBytes: Int? = nil,
        readOnlyPaths: [String] = [],
        hiddenPaths: [String] = [],
        taskDirectory: String? = nil,
        useNamespaces: Bool = true,
        useCgroups: Bool = true
    ) {
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuShares = cpuShares
        self.cpus = cpus
        self.scheduling = scheduling
        self.maxProcesses = maxProcesses
        self.temporaryDirectoryRoot = temporaryDirectoryRoot
        self.temporaryDirectoryBytes = temporaryDirectoryBytes
        self.readOnlyPaths = readOnlyPaths
        self.hiddenPaths = hiddenPaths
        self.taskDirectory = taskDirectory
        self.useNamespaces = useNamespaces
        self.useCgroups = useCgroups
    }

    /// A child's scheduling policy.
    package enum Scheduling: Sendable, Hashable {
        /// The server's own.
        case inherited
        /// `SCHED_BATCH`: woken, the child's processes never preempt the thread running on their
        /// CPU (a server thread that shares it finishes first), and get the same share of CPU over time.
        case batch
        /// `SCHED_IDLE`: the child runs only on CPU time nothing else wants (a child started ahead
        /// of its work, whose start must not slow the work at hand).
        case idle

        /// The kernel's policy number (Linux's ABI; glibc hides the names from Swift); `nil` to keep the inherited one.
        var policy: Int32? {
            switch self {
            case .inherited: nil
            case .batch: 3
            case .idle: 5
            }
        }
    }
}
