import CSandbox
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A running confined child process.
///
/// The jailer's steps, each in its own file: a private temporary directory (`TemporaryDirectory`), mount and pid
/// namespaces (`Namespaces`, through bubblewrap), an environment made only of the spec's (`Environment`), a cgroup
/// with memory, cpu and pids limits (`Cgroup`), and, set up in the child between its fork and its exec (`Spawn`):
/// its cgroups, rlimits (`ResourceLimits`), CPUs, scheduling policy, a clean descriptor table and its own session. What the host lacks is polled instead (`Watchdog`); `capabilities` says
/// which mechanisms this host offers. Its stdout and stderr are merged and delivered line by line (`OutputReader`).
///
/// When the child ends, or is killed, everything left of its tree is killed, its cgroup and temporary directory are
/// removed, and only then does `exit()` return: `usage` is final from then on.
package final class ChildProcess: Sendable {
    /// How the child ended.
    package enum Exit: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
    }

    package let pid: Int32
    /// The host path of the child's `/tmp` (`TMPDIR` without namespaces); `nil` without `temporaryDirectoryRoot`.
    package let temporaryDirectory: String?
    private let reader: OutputReader
    private let cgroup: Cgroup?
    private let namespaced: Bool
    private let state = Mutex(State())

    private struct State {
        var exit: Exit?
        var waiters: [CheckedContinuation<Exit, Never>] = []
        /// Set once `waitpid` has reaped the child: its pid may belong to someone else from then on.
        var reaped = false
        var usage = ResourceUsage()
        var polledPeak: Int?
        var cleanupFailures: [SandboxError] = []
        var watch: UInt64?
        /// The limits the watchdog enforces where the kernel does not (`updateLimits` changes them).
        var memoryLimit: Int?
        var temporaryLimit: Int?
    }

    /// The mechanisms this host offers, detected on first use (the server logs them at start).
    package static var capabilities: SandboxCapabilities {
        let cgroups = CgroupHierarchy.detected
        return SandboxCapabilities(
            cgroupVersion: cgroups?.version,
            cgroupControllers: cgroups?.available ?? [],
            namespaces: Namespaces.probe.works,
            bubblewrapVersion: Namespaces.probe.version,
            tmpSizeLimit: true,
            tmpfsSizeLimit: Namespaces.probe.works && Namespaces.probe.tmpfsSize
        )
    }

    /// Starts `spec`, confined, calling `output` once per line it prints (see `OutputReader`).
    /// - Throws: `SandboxError` naming the step that failed and its path and errno; nothing is left behind then.
    package init(_ spec: ProcessSpec, output: @escaping @Sendable (String) -> Void) throws(SandboxError) {
        guard FileManager.default.isExecutableFile(atPath: spec.executable) else {
            throw SandboxError(code: .missingExecutable, path: spec.executable, errno: ENOENT)
        }
        let confinement = spec.confinement
        var temporary: TemporaryDirectory?
        var cgroup: Cgroup?
        var descriptors: [Int32] = [-1, -1]
        let started: (pid: pid_t, reader: OutputReader, namespaced: Bool)
        do throws(SandboxError) {
            if let root = confinement.temporaryDirectoryRoot { temporary = try TemporaryDirectory.create(under: root) }
            var command = [spec.executable] + spec.arguments
            var namespaced = false
            if confinement.useNamespaces,
                let wrapped = try Namespaces.wrapping(
                    command,
                    confinement: confinement,
                    workingDirectory: spec.workingDirectory,
                    temporaryDirectory: temporary?.path,
                    environment: spec.environment
                )
            {
                command = wrapped
                namespaced = true
            }
            let environment = Environment.entries(spec.environment, privateTemporaryDirectory: namespaced ? nil : temporary?.path)
            cgroup = try Cgroup.create(for: confinement)
            let failure = Spawn.pipe(&descriptors, flags: O_CLOEXEC)
            guard failure == 0 else { throw SandboxError(code: .pipe, path: spec.executable, errno: failure) }
            let reader = try OutputReader(descriptors[0], output: output)
            descriptors[0] = -1
            let launch = Launch(
                command: command,
                environment: environment,
                // With namespaces the working directory is inside them (bubblewrap's `--chdir`).
                workingDirectory: namespaced ? "/" : spec.workingDirectory,
                output: descriptors[1],
                limits: spec.limits,
                // Not the spawning thread's: that may be an event loop kept on one CPU.
                cpus: confinement.cpus ?? CPUAffinity.ofServer(),
                scheduling: confinement.scheduling,
                cgroupFiles: cgroup?.attachFiles ?? []
            )
            let pid = try Spawn.start(launch)
            close(descriptors[1])
            descriptors[1] = -1
            started = (pid, reader, namespaced)
        } catch {
            for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
            try? cgroup?.remove()
            try? temporary?.remove()
            throw error
        }
        pid = started.pid
        reader = started.reader
        namespaced = started.namespaced
        temporaryDirectory = temporary?.path
        self.cgroup = cgroup
        watch(confinement)
        Thread { [self] in reap() }.start()
    }

    /// Registers with the watchdog what the kernel does not enforce or measure here.
    private func watch(_ confinement: Confinement) {
        let pollTree = cgroup?.directories["memory"] == nil
        let pollCgroup = !pollTree && cgroup?.peakMemoryBytes == nil
        let pollTemporary = temporaryDirectory != nil && confinement.temporaryDirectoryBytes != nil
        state.withLock { state in
            state.memoryLimit = confinement.memoryLimitBytes
            state.temporaryLimit = pollTemporary ? confinement.temporaryDirectoryBytes : nil
        }
        guard pollTree || pollCgroup || pollTemporary else { return }
        let id = Watchdog.shared.add { [self] tick in
            let (memoryLimit, temporaryLimit) = state.withLock { ($0.memoryLimit, $0.temporaryLimit) }
            if pollTree {
                let bytes = tick.processes.tree(of: pid).reduce(0) { $0 + $1.residentBytes }
                let over = memoryLimit.map { bytes > $0 } ?? false
                record(peak: bytes) { if over { $0.outOfMemory = true } }
                if over { kill() }
            }
            if pollCgroup, let bytes = cgroup?.currentMemoryBytes {
                record(peak: bytes) { _ in }
            }
            if let temporaryLimit, let temporaryDirectory, tick.number % 5 == 0,
                TemporaryDirectory(path: temporaryDirectory).allocatedBytes() > temporaryLimit
            {
                record(peak: nil) { $0.temporaryDirectoryExceeded = true }
                kill()
            }
        }
        state.withLock { $0.watch = id }
    }

    /// Gives the running child new limits: its memory, CPU share and `/tmp` size (a child started ahead of the work
    /// it is then given). The limits a spec names at start apply from the first instruction; these from now on.
    /// - Throws: `.cgroupLimit` naming the file that refused the value (a memory limit below what the tree holds).
    package func updateLimits(memoryLimitBytes: Int?, cpuShares: Int?, temporaryDirectoryBytes: Int?) throws(SandboxError) {
        let current = state.withLock { $0.memoryLimit }
        let raising = (memoryLimitBytes ?? .max) > (current ?? .max)
        try cgroup?.apply(Confinement(memoryLimitBytes: memoryLimitBytes, cpuShares: cpuShares), raisingMemory: raising)
        state.withLock { state in
            state.memoryLimit = memoryLimitBytes
            if state.temporaryLimit != nil { state.temporaryLimit = temporaryDirectoryBytes }
        }
    }

    /// Moves every thread of the child's tree to `scheduling` (a child started `.idle`, ahead of its work, when it
    /// gets it). Threads created from then on inherit it.
    /// - Throws: `.scheduling` naming the thread the kernel refused (`EPERM`: an unprivileged server may not take a
    ///   child out of `SCHED_IDLE`).
    package func setScheduling(_ scheduling: Confinement.Scheduling) throws(SandboxError) {
        guard let policy = scheduling.policy else { return }
        let processes = cgroup.map { Set($0.processes) } ?? Set(ProcessTable.scan().tree(of: pid).map(\.pid))
        var parameters = sched_param()
        for process in processes {
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process)/task")) ?? []
            for thread in threads.compactMap({ pid_t($0) }) where sched_setscheduler(thread, policy, &parameters) != 0 && errno != ESRCH {
                throw SandboxError(code: .scheduling, path: "/proc/\(process)/task/\(thread)", errno: errno)
            }
        }
    }

    /// Whether the child runs in its own namespaces (bubblewrap was usable and asked for).
    package var isNamespaced: Bool { namespaced }

    /// The environment the child's program would have been given for `variables` (`TMPDIR` is added where `/tmp`
    /// cannot be private): what a program started ahead of its work takes on when it gets it.
    package func environment(for variables: [String: String]) -> [String: String] {
        Environment.variables(variables, privateTemporaryDirectory: namespaced ? nil : temporaryDirectory)
    }

    /// Mounts the host directory `source`, read-only, at `Confinement.taskRoot` inside the child's namespaces (a
    /// child started without a `Confinement.taskDirectory`). Processes already there see it at once; their working
    /// directory stays the empty one underneath until they change to it again.
    /// - Throws: `.mount` with the errno of the step that failed: `EPERM` when the server may not mount into the
    ///   child's namespace (it does not run as root), `EINVAL` for a child without namespaces.
    package func mountTaskDirectory(_ source: String) throws(SandboxError) {
        guard namespaced else { throw SandboxError(code: .mount, path: source, errno: EINVAL) }
        // bubblewrap, the child, stays in the host's namespaces; its own child, the namespace's init, is in the new ones.
        let children = "/proc/\(pid)/task/\(pid)/children"
        guard let text = try? String(contentsOfFile: children, encoding: .utf8),
            let holder = text.split(separator: " ").first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        else { throw SandboxError(code: .mount, path: children, errno: ESRCH) }
        var failure = nimbus_mount_failure()
        guard nimbus_mount_read_only(holder, source, Confinement.taskRoot, &failure) == 0 else {
            throw SandboxError(code: .mount, path: source, errno: failure.error)
        }
    }

    private func record(peak: Int?, _ update: (inout ResourceUsage) -> Void) {
        state.withLock { state in
            guard !state.reaped else { return }
            if let peak { state.polledPeak = max(state.polledPeak ?? 0, peak) }
            update(&state.usage)
        }
    }

    /// Returns once every byte the child wrote to its stdout or stderr before this call has gone through `output`.
    ///
    /// A partial line (no newline yet) stays pending unless the child has exited. This is how a caller attributes
    /// what the child printed just before it answered a request.
    package func drainOutput() async {
        await reader.drain()
    }

    /// Returns once the output pipe has closed (every holder of it has exited) and every line has been delivered.
    package func outputFinished() async {
        await reader.finished()
    }

    /// Waits for the child to end and its confinement to be torn down.
    package func exit() async -> Exit {
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> Exit? in
                if let exit = state.exit { return exit }
                state.waiters.append(continuation)
                return nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    /// Waits for the child to end, killing it (and its tree) when `timeout` passes first.
    /// - Returns: the exit, and whether the deadline killed it.
    package func exit(within timeout: Duration) async -> (exit: Exit, timedOut: Bool) {
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.kill()
        }
        let exit = await exit()
        timer.cancel()
        let timedOut = (try? await timer.value) != nil
        return (exit, timedOut)
    }

    /// SIGKILLs the child's whole tree: its process group, its cgroup, and (with namespaces) its pid namespace.
    package func kill() {
        let alive = state.withLock { state in
            guard !state.reaped else { return false }
            _ = Glibc.kill(-pid, SIGKILL)
            _ = Glibc.kill(pid, SIGKILL)
            return true
        }
        guard alive else { return }
        if let cgroup {
            cgroup.signalAll()
        } else if !namespaced {
            // Descendants that left the process group with setsid are still the child's descendants.
            for process in ProcessTable.scan().tree(of: pid) where process.pid != pid { _ = Glibc.kill(process.pid, SIGKILL) }
        }
    }

    /// The most memory the process tree has held so far (what `usage` reports, without the
    /// other counters): one file read while it runs, for a `REPORT` line after every invocation.
    package var peakMemoryBytes: Int? {
        let (ended, recorded, polledPeak) = state.withLock { ($0.exit != nil, $0.usage, $0.polledPeak) }
        if ended { return recorded.peakMemoryBytes }
        return [cgroup?.peakMemoryBytes, polledPeak].compactMap { $0 }.max()
    }

    /// What the child used; final once `exit()` has returned.
    package var usage: ResourceUsage {
        let (ended, recorded) = state.withLock { ($0.exit != nil, $0.usage) }
        if ended { return recorded }
        var usage = recorded
        usage.peakMemoryBytes = peakMemoryBytes
        if cgroup?.oomKilled == true { usage.outOfMemory = true }
        return usage
    }

    /// What went wrong tearing the child's confinement down (a cgroup or directory that could not be removed).
    package var cleanupFailures: [SandboxError] {
        state.withLock { $0.cleanupFailures }
    }

    /// Waits for the child on a thread of its own, tears its confinement down, then reports how it ended.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
        if let watch = state.withLock({ $0.watch }) { Watchdog.shared.remove(watch) }
        let status = state.withLock { state in
            // The zombie keeps the group id reserved, so this reaches only what is left of the child's group.
            _ = Glibc.kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            state.reaped = true
            return status
        }
        let signal = status & 0x7F
        let direct: Exit = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        let exit = namespaced ? Namespaces.programExit(direct) : direct

        var failures: [SandboxError] = []
        var usage = state.withLock { state in
            var usage = state.usage
            usage.peakMemoryBytes = state.polledPeak
            return usage
        }
        if let cgroup {
            do { try cgroup.killAll() } catch { failures.append(error) }
            if let peak = cgroup.peakMemoryBytes { usage.peakMemoryBytes = max(usage.peakMemoryBytes ?? 0, peak) }
            if let oomKilled = cgroup.oomKilled {
                usage.outOfMemory = usage.outOfMemory || oomKilled
            } else if cgroup.hitMemoryLimit, exit == .signalled(SIGKILL) {
                usage.outOfMemory = true
            }
            do { try cgroup.remove() } catch { failures.append(error) }
        }
        if let temporaryDirectory {
            do { try TemporaryDirectory(path: temporaryDirectory).remove() } catch { failures.append(error) }
        }
        reader.childExited()
        let waiters = state.withLock { state in
            state.exit = exit
            state.usage = usage
            state.cleanupFailures = failures
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }
}
