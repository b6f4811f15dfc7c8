/// A step of starting, confining or cleaning up after a child process that failed, with the path and errno involved.
package struct SandboxError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        /// Creating the output pipe or the reader's wake pipe.
        case pipe
        /// `posix_spawn` itself, or a spawn step it needs (`path` names the program or working directory).
        case spawn
        case missingExecutable
        /// A path in `Confinement.readOnlyPaths` does not exist.
        case missingReadOnlyPath
        /// Creating the temporary-directory root or the child's directory under it.
        case temporaryDirectoryCreate
        /// Removing the child's temporary directory after it ended.
        case temporaryDirectoryRemove
        /// Creating a cgroup directory (`nimbus-<server pid>` or the child's).
        case cgroupCreate
        /// Enabling controllers for the server's cgroup subtree (cgroup v2 `cgroup.subtree_control`).
        case cgroupDelegate
        /// Writing a limit (`memory.limit_in_bytes`, `memory.max`, `cpu.shares`, `cpu.weight`, `pids.max`…).
        case cgroupLimit
        /// Moving the child into its cgroup (`cgroup.procs`).
        case cgroupAttach
        /// Killing what was left in the child's cgroup.
        case cgroupKill
        /// Removing the child's cgroup directory after it ended.
        case cgroupRemove
    }

    package let code: Code
    package let path: String
    package let errno: Int32

    package init(code: Code, path: String, errno: Int32) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    package var description: String { "\(code) \(path): errno \(errno)" }
}
