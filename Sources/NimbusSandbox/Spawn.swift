import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `posix_spawn` with the descriptors and signal state a confined child starts from.
///
/// The child gets its own session (so its own process group and no controlling terminal), `/dev/null` as stdin, the
/// output pipe as stdout and stderr, and no other descriptor: everything from 3 up is closed between fork and exec,
/// so a server descriptor that lacks `O_CLOEXEC` never leaks into a function.
enum Spawn {
    /// Starts `command` (`command[0]` is an absolute path) and returns its pid.
    /// - Throws: `.spawn` naming the working directory when glibc lacks `addchdir_np`, or the program when spawning fails.
    static func start(_ command: [String], environment: [String], workingDirectory: String, output: Int32) throws(SandboxError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let addCloseFrom { _ = addCloseFrom(&actions, 3) }
        guard let addChdir, addChdir(&actions, workingDirectory) == 0 else {
            throw SandboxError(code: .spawn, path: workingDirectory, errno: ENOSYS)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(setSession | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw SandboxError(code: .spawn, path: command[0], errno: result) }
        return child
    }

    /// Runs a short helper command to completion and returns its exit status and merged output (for probes).
    static func run(_ command: [String]) -> (status: Int32, output: String)? {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors, flags: O_CLOEXEC) == 0 else { return nil }
        let child: pid_t
        do {
            child = try start(command, environment: ["PATH=/usr/bin:/bin"], workingDirectory: "/", output: descriptors[1])
        } catch {
            close(descriptors[0])
            close(descriptors[1])
            return nil
        }
        close(descriptors[1])
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptors[0], $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        close(descriptors[0])
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        return (status, String(decoding: bytes, as: UTF8.self))
    }

    /// `POSIX_SPAWN_SETSID` (glibc 2.26+), which Swift's Glibc module does not export: `setsid()` in the child.
    private static let setSession: Int32 = 0x80

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+): the child changes directory between fork and exec.
    private static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+): the child closes every descriptor from a number up.
    private static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    /// `pipe2`, which Swift's Glibc module does not export (it needs `_GNU_SOURCE`).
    private static let pipe2: Pipe2? = symbol("pipe2")

    /// A pipe whose ends carry `flags` (`O_CLOEXEC`, `O_NONBLOCK`) from the start, so no concurrent spawn inherits them.
    /// - Returns: 0 or the errno.
    static func pipe(_ descriptors: inout [Int32], flags: Int32) -> Int32 {
        guard let pipe2 else { return ENOSYS }
        return descriptors.withUnsafeMutableBufferPointer { pipe2($0.baseAddress!, flags) } == 0 ? 0 : errno
    }

    private static func symbol<Function>(_ name: String) -> Function? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }
}
