import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A running confined child process: its own process group, an environment made only of
/// what `ProcessSpec` gives it, AWS's resource limits, and its stdout and stderr merged into
/// a stream of lines.
///
/// Limits are set by `prlimit(1)`, which applies them and then execs the program, so they
/// hold from the program's first instruction. Killing the process kills its whole group.
package final class ChildProcess: Sendable {
    /// One line the child printed, without its newline.
    package typealias Line = String

    /// How the child ended.
    package enum Exit: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
    }

    package let pid: Int32
    /// Every line the child writes to stdout or stderr, in order; finishes when both close.
    package let lines: AsyncStream<Line>
    private let exitStatus: Mutex<ExitWaiters>

    private struct ExitWaiters {
        var exit: Exit?
        var waiters: [CheckedContinuation<Exit, Never>] = []
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not
    /// export: the child changes directory between fork and exec, with no shell in between.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(
            symbol,
            to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self
        )
    }()

    /// The path of `prlimit`, which applies the limits before the program runs.
    static let limiter = ["/usr/bin/prlimit", "/bin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Starts `spec`.
    /// - Throws: `SandboxError` naming the step that failed (pipe, missing executable, spawn).
    package convenience init(_ spec: ProcessSpec, output: @escaping @Sendable (String) -> Void) throws(SandboxError) {
        try self.init(spec)
        let lines = self.lines
        Task { for await line in lines { output(line) } }
    }
    package func drainOutput() async {}
    package var usage: ResourceUsage { ResourceUsage(peakMemoryBytes: nil, outOfMemory: false) }

    package init(_ spec: ProcessSpec) throws(SandboxError) {
        guard FileManager.default.isExecutableFile(atPath: spec.executable) else {
            throw SandboxError(code: .missingExecutable, path: spec.executable, errno: ENOENT)
        }
        var output: [Int32] = [0, 0]
        guard pipe(&output) == 0 else { throw SandboxError(code: .pipe, path: spec.executable, errno: errno) }
        _ = fcntl(output[0], F_SETFD, FD_CLOEXEC)

        var command = [spec.executable] + spec.arguments
        if let limiter = Self.limiter {
            command = [limiter, "--nofile=\(spec.limits.openFiles)", "--nproc=\(spec.limits.processes)", "--"] + command
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        guard let addChdir = Self.addChdir, addChdir(&actions, spec.workingDirectory) == 0 else {
            close(output[0])
            close(output[1])
            throw SandboxError(code: .spawn, path: spec.workingDirectory, errno: ENOSYS)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = command.map { strdup($0) } + [nil]
        let envp = spec.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, command[0], &actions, &attributes, argv, envp)
        close(output[1])
        guard result == 0 else {
            close(output[0])
            throw SandboxError(code: .spawn, path: spec.executable, errno: result)
        }
        pid = child
        exitStatus = Mutex(ExitWaiters())
        lines = Self.readLines(from: output[0])
        Self.reap(child) { [self] exit in finish(with: exit) }
    }

    private func finish(with exit: Exit) {
        let waiters = exitStatus.withLock { state in
            state.exit = exit
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    /// Waits for the child to end.
    package func exit() async -> Exit {
        await withCheckedContinuation { continuation in
            let finished = exitStatus.withLock { state -> Exit? in
                if let exit = state.exit { return exit }
                state.waiters.append(continuation)
                return nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    /// Sends SIGKILL to the child's whole process group (its children die with it).
    package func kill() {
        _ = Glibc.kill(-pid, SIGKILL)
    }

    /// Waits for the child to end, killing it (and its group) when `timeout` passes first.
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

    /// Reads `descriptor` on a thread of its own and splits it into lines.
    private static func readLines(from descriptor: Int32) -> AsyncStream<Line> {
        AsyncStream { continuation in
            let thread = Thread {
                var pending: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { break }
                    pending.append(contentsOf: buffer[0..<count])
                    while let newline = pending.firstIndex(of: 10) {
                        continuation.yield(String(decoding: pending[..<newline], as: UTF8.self))
                        pending.removeSubrange(...newline)
                    }
                }
                if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                close(descriptor)
                continuation.finish()
            }
            thread.start()
        }
    }

    /// Waits for `pid` on a thread of its own and reports how it ended.
    private static func reap(_ pid: pid_t, _ report: @escaping @Sendable (Exit) -> Void) {
        let thread = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            let signal = status & 0x7F
            report(signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal))
        }
        thread.start()
    }
}
