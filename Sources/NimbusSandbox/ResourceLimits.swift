import Foundation

/// Resource limits the child gets before it execs its program (soft and hard, `setrlimit` in the spawned child).
///
/// Defaults are AWS Lambda's: 1,024 open files and 1,024 processes. `RLIMIT_NPROC` counts every process of the user
/// and root ignores it, so the pids cgroup (`Confinement.maxProcesses`) is what really stops a fork bomb.
package struct ResourceLimits: Sendable, Hashable {
    package var openFiles: Int = 1024
    package var processes: Int = 1024

    package init(openFiles: Int = 1024, processes: Int = 1024) {
        self.openFiles = openFiles
        self.processes = processes
    }
}
