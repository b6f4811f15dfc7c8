import Foundation

/// Resource limits applied to the child before its program starts (`setrlimit` semantics).
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

extension ResourceLimits {
    /// The path of `prlimit(1)`, which applies the limits and then execs the rest of the command.
    static let limiter = ["/usr/bin/prlimit", "/bin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `command` behind `prlimit`, so the limits hold from its first instruction; unchanged when `prlimit` is missing.
    ///
    /// `prlimit` goes outside bubblewrap: limits are inherited across bubblewrap's forks and the final exec.
    func wrapping(_ command: [String]) -> [String] {
        guard let limiter = Self.limiter else { return command }
        return [limiter, "--nofile=\(openFiles)", "--nproc=\(processes)", "--"] + command
    }
}
