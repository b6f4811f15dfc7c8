import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Mount and pid namespaces through bubblewrap (`bwrap`).
///
/// The child sees the host filesystem read-only, a fresh `/dev` and `/proc`, `/proc/sys` read-only, a `/var` of its
/// own holding only its task directory at `/var/task`, every hidden path as an empty read-only directory (or
/// `/dev/null` for a file), the read-only paths bound back in (even inside a hidden path: the runtime's directory may
/// live in the hidden data directory) and its own directory at `/tmp`. It runs
/// with no capabilities, in a new session, in its own pid namespace whose init is bubblewrap: killing bubblewrap kills
/// the init (`--die-with-parent`), and the kernel then kills everything else in the namespace. The network is shared,
/// so the child reaches the Runtime API on 127.0.0.1.
enum Namespaces {
    /// What bubblewrap can do on this host, probed once by running it.
    struct Probe: Sendable {
        var path: String?
        var version: String?
        var works = false
        /// Whether `--size` limits a `--tmpfs` (bubblewrap 0.7+).
        var tmpfsSize = false
    }

    static let probe: Probe = {
        var probe = Probe()
        guard let path = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return probe }
        probe.path = path
        probe.version = Spawn.run([path, "--version"]).map { $0.output.trimmingCharacters(in: .whitespacesAndNewlines) }
        let base = [path] + isolation
        if Spawn.run(base + ["--size", "1048576", "--tmpfs", "/tmp", "--", "true"])?.status == 0 {
            probe.works = true
            probe.tmpfsSize = true
        } else if Spawn.run(base + ["--tmpfs", "/tmp", "--", "true"])?.status == 0 {
            probe.works = true
        }
        return probe
    }()

    /// The flags every confined child gets, before the per-child paths.
    private static let isolation = [
        "--die-with-parent", "--new-session", "--unshare-pid", "--cap-drop", "ALL",
        "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
    ]

    /// `command` inside bubblewrap as `confinement` describes, or `nil` when bubblewrap is not usable here.
    /// - Parameter temporaryDirectory: the host directory bound at `/tmp`; without one `/tmp` is a fresh tmpfs
    ///   (capped by `temporaryDirectoryBytes` where `--size` works).
    /// - Throws: `.missingReadOnlyPath` when a read-only path does not exist (bubblewrap would fail inside the child).
    static func wrapping(
        _ command: [String],
        confinement: Confinement,
        workingDirectory: String,
        temporaryDirectory: String?,
        environment: [String: String]
    ) throws(SandboxError) -> [String]? {
        guard let bwrap = probe.path, probe.works else { return nil }
        var arguments = [bwrap] + isolation
        // First, so hidden and read-only paths under the host's /tmp (a data directory made by
        // mktemp) are mounted on top of the private /tmp instead of vanishing under it.
        if let temporaryDirectory {
            arguments += ["--bind", temporaryDirectory, "/tmp"]
        } else {
            if let bytes = confinement.temporaryDirectoryBytes, probe.tmpfsSize { arguments += ["--size", String(bytes)] }
            arguments += ["--tmpfs", "/tmp"]
        }
        // The host's /var (its databases, logs and caches) is no business of a function's; /var/task is where
        // Lambda code lives.
        arguments += ["--tmpfs", "/var", "--symlink", "../run", "/var/run", "--symlink", "../run/lock", "/var/lock"]
        var hiddenDirectories = ["/var"]
        for hidden in confinement.hiddenPaths {
            var info = stat()
            guard stat(hidden, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                arguments += ["--tmpfs", hidden]
                hiddenDirectories.append(hidden)
            } else {
                // A device needs --dev-bind (other binds are nodev); /dev/null reads empty and swallows writes.
                arguments += ["--dev-bind", "/dev/null", hidden]
            }
        }
        for path in confinement.readOnlyPaths {
            guard access(path, F_OK) == 0 else { throw SandboxError(code: .missingReadOnlyPath, path: path, errno: errno) }
            arguments += ["--ro-bind", path, path]
        }
        if let task = confinement.taskDirectory {
            guard access(task, F_OK) == 0 else { throw SandboxError(code: .missingReadOnlyPath, path: task, errno: errno) }
            arguments += ["--ro-bind", task, Confinement.taskRoot]
        } else {
            arguments += ["--dir", Confinement.taskRoot]
        }
        for hidden in hiddenDirectories where hidden != "/tmp" { arguments += ["--remount-ro", hidden] }
        return arguments + ["--chdir", workingDirectory, "--"] + restoringPWD(environment, workingDirectory: workingDirectory) + command
    }

    /// bubblewrap sets `PWD` to the working directory after `--chdir` (and `--unsetenv` cannot undo it), so `env` puts
    /// it back as the spec had it; no `env` (one exec less) when the spec's `PWD` already is the working directory.
    private static func restoringPWD(_ environment: [String: String], workingDirectory: String) -> [String] {
        if environment["PWD"] == workingDirectory { return [] }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/env") else { return [] }
        return ["/usr/bin/env", "-u", "PWD"] + (environment["PWD"].map { ["PWD=\($0)"] } ?? [])
    }

    /// The child's exit as the program inside saw it: bubblewrap exits with 128 + N when the program died of signal N.
    ///
    /// A program that itself exits with 129…192 is reported as signalled too; bubblewrap gives no way to tell.
    static func programExit(_ exit: ChildProcess.Exit) -> ChildProcess.Exit {
        if case .exited(let code) = exit, (129...192).contains(code) { return .signalled(code - 128) }
        return exit
    }
}
