#if canImport(Glibc)
import Glibc
#endif

/// Starts children under `SCHED_BATCH`: the kernel's fair scheduler then never preempts the
/// running thread for them when they wake; they run at its next scheduling point, with the same
/// share of CPU over time. A server thread that hands a child work on the CPU they share
/// finishes what it is doing first (docs/sandbox.md, "CPUs").
enum BatchScheduling {
    /// `SCHED_BATCH`, which Swift's Glibc module does not export.
    private static let batchPolicy: Int32 = 3

    /// Runs `spawn` with the calling thread under `SCHED_BATCH`, so that the child it forks
    /// inherits the policy (glibc's `posix_spawnattr_setschedpolicy` takes only OTHER, FIFO and
    /// RR), then gives the thread its own policy back. Unless `batch`, or when the thread runs
    /// under another policy than `SCHED_OTHER` or the kernel refuses, `spawn` runs as it is.
    static func spawn(_ batch: Bool, _ spawn: () throws(SandboxError) -> pid_t) throws(SandboxError) -> pid_t {
        guard batch else { return try spawn() }
        var parameters = sched_param()
        guard sched_getscheduler(0) == SCHED_OTHER, sched_setscheduler(0, batchPolicy, &parameters) == 0 else { return try spawn() }
        defer { _ = sched_setscheduler(0, SCHED_OTHER, &parameters) }
        return try spawn()
    }
}
