/// A step of starting, confining or cleaning up after a child process that failed, with the path and errno involved.
package struct SandboxError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        /// Creating the output pipe or the reader's wake pipe.
        case pipe
        /// Starting the child, or a step it takes before its exec (`path` names the program or working directory).
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
        /// Opening the cgroup file the child enters through (`tasks` on v1, `cgroup.procs` on v2), or the child's write to it.
        case cgroupAttach
        /// Killing what was left in the child's cgroup.
        case cgroupKill
        /// Removing the child's cgroup directory after it ended.
        case cgroupRemove
        /// Mounting a directory inside the running child's namespace (`ChildProcess.mountTaskDirectory`).
        case mount
        /// Changing the running child's scheduling policy (`ChildProcess.setScheduling`; `path` names the thread).
        case scheduling
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
