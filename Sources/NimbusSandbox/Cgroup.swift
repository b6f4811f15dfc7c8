import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child's own cgroup, `<server's cgroup>/nimbus-<server pid>/child-<n>` in each writable controller.
///
/// Limits are written before the child exists, and the child enters it before its exec (see `attachFiles`). When the child ends, whatever is left in the cgroup is killed and the directory removed;
/// `nimbus-<server pid>` is removed with the last child.
struct Cgroup: Sendable {
    let version: Int
    /// Controller → the child's directory in that controller's hierarchy.
    let directories: [String: String]
    /// The memory controller's peak file (`memory.peak`, v1's `memory.max_usage_in_bytes`), open
    /// once the directory exists.
    private(set) var peakFile: CgroupCounter?

    /// The child's directories, one per hierarchy (a single one on v2).
    var hierarchies: [String] { Array(Set(directories.values)).sorted() }

    /// How many children hold a cgroup; the `nimbus-<pid>` parents exist while it is above zero.
    private static let live = Mutex(0)
    private static let counter = Atomic<Int>(0)

    /// Creates the child's cgroup with `confinement`'s limits, or returns `nil` when the host has no writable cgroup.
    /// - Throws: `.cgroupCreate`, `.cgroupDelegate` or `.cgroupLimit` with the directory or file that failed.
    static func create(for confinement: Confinement) throws(SandboxError) -> Cgroup? {
        guard confinement.useCgroups, let hierarchy = CgroupHierarchy.detected else { return nil }
        let parents = hierarchy.ownDirectories.mapValues { "\($0)/\(CgroupHierarchy.serverDirectoryName)" }
        try live.withLock { live throws(SandboxError) in
            if live == 0 { try createParents(hierarchy, parents) }
            live += 1
        }
        let name = "child-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"
        var cgroup = Cgroup(version: hierarchy.version, directories: parents.mapValues { "\($0)/\(name)" })
        do throws(SandboxError) {
            for directory in cgroup.hierarchies where mkdir(directory, 0o755) != 0 {
                throw SandboxError(code: .cgroupCreate, path: directory, errno: errno)
            }
            try cgroup.apply(confinement)
            cgroup.peakFile = cgroup.directories["memory"].flatMap { CgroupCounter(path: "\($0)/\(cgroup.peakFileName)") }
        } catch {
            try? cgroup.remove()
            throw error
        }
        return cgroup
    }

    private static func createParents(_ hierarchy: CgroupHierarchy, _ parents: [String: String]) throws(SandboxError) {
        for directory in Set(parents.values) where mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw SandboxError(code: .cgroupCreate, path: directory, errno: errno)
        }
        guard hierarchy.version == 2, let parent = parents.values.first else { return }
        for controller in hierarchy.available {
            let result = CgroupFile.write("+\(controller)", to: "\(parent)/cgroup.subtree_control")
            if result != 0 { throw SandboxError(code: .cgroupDelegate, path: "\(parent)/cgroup.subtree_control", errno: result) }
        }
    }

    /// Writes `confinement`'s memory, CPU and process limits (those it sets) to the cgroup's files;
    /// `raisingMemory` when its memory limit is above the one the cgroup has.
    func apply(_ confinement: Confinement, raisingMemory: Bool = false) throws(SandboxError) {
        if let bytes = confinement.memoryLimitBytes, let directory = directories["memory"] {
            if version == 1 {
                var files = ["memory.limit_in_bytes"]
                if access("\(directory)/memory.memsw.limit_in_bytes", F_OK) == 0 {
                    // The kernel keeps memory+swap at or above memory alone: a raised limit (a standby
                    // given a larger function) moves memory+swap first, a lowered one moves it last.
                    files = raisingMemory ? ["memory.memsw.limit_in_bytes"] + files : files + ["memory.memsw.limit_in_bytes"]
                }
                for file in files { try set(file, bytes, in: directory) }
            } else {
                try set("memory.max", bytes, in: directory)
                if access("\(directory)/memory.swap.max", F_OK) == 0 { try set("memory.swap.max", 0, in: directory) }
                // The kernel then kills the whole tree on OOM, as Lambda ends the whole instance.
                if access("\(directory)/memory.oom.group", F_OK) == 0 { try set("memory.oom.group", 1, in: directory) }
            }
        }
        if let shares = confinement.cpuShares, let directory = directories["cpu"] {
            let shares = min(max(shares, 2), 262_144)
            if version == 1 {
                try set("cpu.shares", shares, in: directory)
            } else {
                try set("cpu.weight", 1 + (shares - 2) * 9_999 / 262_142, in: directory)
            }
        }
        if let processes = confinement.maxProcesses, let directory = directories["pids"] {
            try set("pids.max", processes, in: directory)
        }
    }

    private func set(_ file: String, _ value: Int, in directory: String) throws(SandboxError) {
        let result = CgroupFile.write(String(value), to: "\(directory)/\(file)")
        if result != 0 { throw SandboxError(code: .cgroupLimit, path: "\(directory)/\(file)", errno: result) }
    }

    /// The files the child writes `0` to, in the spawned child before its exec, to enter this cgroup: `tasks` on v1
    /// (which moves one thread without the kernel's process-wide migration lock), `cgroup.procs` on v2. So the child is
    /// inside from its program's first instruction, and nothing it forks (bubblewrap, a shell) starts outside the limits.
    var attachFiles: [String] {
        hierarchies.map { "\($0)/\(version == 1 ? "tasks" : "cgroup.procs")" }
    }

    /// The kernel's record of the most memory the cgroup held, page cache included; `nil` without one (v2 before 5.19).
    var peakMemoryBytes: Int? {
        peakFile?.value
    }

    private var peakFileName: String { version == 1 ? "memory.max_usage_in_bytes" : "memory.peak" }

    /// The memory the cgroup holds now (polled on v2 kernels that keep no peak).
    var currentMemoryBytes: Int? {
        guard let directory = directories["memory"] else { return nil }
        return CgroupFile.integer("\(directory)/\(version == 1 ? "memory.usage_in_bytes" : "memory.current")")
    }

    /// Whether the kernel's OOM killer fired in the cgroup; `nil` when the kernel does not count it.
    var oomKilled: Bool? {
        guard let directory = directories["memory"] else { return nil }
        let count = CgroupFile.field("oom_kill", in: "\(directory)/\(version == 1 ? "memory.oom_control" : "memory.events")")
        return count.map { $0 > 0 }
    }

    /// Whether the cgroup ever hit its memory limit (v1 `memory.failcnt`), for kernels without an OOM-kill count.
    var hitMemoryLimit: Bool {
        guard version == 1, let directory = directories["memory"] else { return false }
        return (CgroupFile.integer("\(directory)/memory.failcnt") ?? 0) > 0
    }

    var processes: [pid_t] { hierarchies.flatMap { CgroupFile.processes(in: $0) } }

    /// SIGKILLs every process in the cgroup once (the child's `kill()`; teardown then waits for them).
    func signalAll() {
        for pid in Set(processes) { _ = kill(pid, SIGKILL) }
    }

    /// Kills every process in the cgroup and waits until none is left.
    func killAll(sparing pid: pid_t? = nil) throws(SandboxError) {
        try CgroupFile.killAll(in: hierarchies, sparing: pid)
    }

    /// Removes the child's directories (and the `nimbus-<pid>` parents when no child is left).
    /// - Throws: `.cgroupRemove` naming the first directory that could not be removed.
    func remove() throws(SandboxError) {
        var failure: SandboxError?
        for directory in hierarchies {
            var attempts = 0
            // A killed process leaves the cgroup a moment after its SIGKILL; rmdir says EBUSY until then.
            while rmdir(directory) != 0, errno != ENOENT {
                attempts += 1
                guard errno == EBUSY, attempts < 1000 else {
                    failure = failure ?? SandboxError(code: .cgroupRemove, path: directory, errno: errno)
                    break
                }
                usleep(1000)
            }
        }
        Self.live.withLock { live in
            live -= 1
            guard live == 0 else { return }
            for directory in Set(directories.values.map { ($0 as NSString).deletingLastPathComponent }) { rmdir(directory) }
        }
        if let failure { throw failure }
    }
}
