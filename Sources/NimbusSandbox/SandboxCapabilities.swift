/// Which confinement mechanisms this host offers the server's children; detected once per process.
package struct SandboxCapabilities: Sendable, Hashable, CustomStringConvertible {
    /// 1 or 2 when a cgroup hierarchy with at least one of memory, cpu, pids is writable; `nil` otherwise.
    package var cgroupVersion: Int?
    /// The writable controllers among `memory`, `cpu`, `pids`.
    package var cgroupControllers: [String]
    /// Whether bubblewrap is installed and can create mount and pid namespaces here.
    package var namespaces: Bool
    /// `bwrap --version`'s answer, when it is installed.
    package var bubblewrapVersion: String?
    /// Whether the size of the child's `/tmp` is enforced: always, by the watchdog measuring the directory.
    package var tmpSizeLimit: Bool
    /// Whether bubblewrap's `--size` caps a tmpfs (used for `/tmp` when no `temporaryDirectoryRoot` is given).
    package var tmpfsSizeLimit: Bool

    package var description: String {
        let cgroups = cgroupVersion.map { "v\($0) (\(cgroupControllers.joined(separator: ", ")))" } ?? "none (memory watched by RSS polling)"
        let namespaces = namespaces ? "bubblewrap \(bubblewrapVersion ?? "?")" : "none (/tmp private through TMPDIR only)"
        return "cgroups: \(cgroups); namespaces: \(namespaces); /tmp size limit: \(tmpSizeLimit ? "enforced" : "not enforced")"
    }
}
