import CSandbox
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a child starts: what `nimbus_spawn` sets up between its fork and its exec.
struct Launch {
    /// The program (`command[0]`, an absolute path) and its arguments.
    var command: [String]
    /// `NAME=value` entries: the child's whole environment.
    var environment: [String]
    var workingDirectory: String
    /// The child's stdout and stderr.
    var output: Int32
    /// `nil` keeps the server's.
    var limits: ResourceLimits?
    /// Empty keeps the spawning thread's.
    var cpus: [Int] = []
    var scheduling = Confinement.Scheduling.inherited
    /// The cgroup files (`tasks` on v1, `cgroup.procs` on v2) the child writes itself into before it execs.
    var cgroupFiles: [String] = []
}

/// Starts confined children through the C target's `nimbus_spawn`: a `vfork`-style clone in which the child, before
/// its exec, enters its cgroups, takes default signal dispositions, its own session (so its own process group and no
/// controlling terminal), its CPUs and scheduling policy, `/dev/null` as stdin, the output pipe as stdout and stderr
/// and no other descriptor (so a server descriptor that lacks `O_CLOEXEC` never leaks into a function), its working
/// directory and its rlimits. Nothing of it touches the spawning thread, and no helper program is exec'd on the way.
enum Spawn {
    /// Starts `launch` and returns the child's pid.
    /// - Throws: `.cgroupAttach` naming the cgroup file that refused the child, or `.spawn` naming the working
    ///   directory or the program for the step that failed.
    static func start(_ launch: Launch) throws(SandboxError) -> pid_t {
        var cgroupDescriptors: [Int32] = []
        defer {
            for descriptor in cgroupDescriptors { close(descriptor) }
        }
        for file in launch.cgroupFiles {
            let descriptor = open(file, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw SandboxError(code: .cgroupAttach, path: file, errno: errno) }
            cgroupDescriptors.append(descriptor)
        }
        let arguments = launch.command.map { strdup($0) } + [nil]
        let environment = launch.environment.map { strdup($0) } + [nil]
        defer {
            for pointer in arguments + environment { free(pointer) }
        }
        let cpus = launch.cpus.map { Int32(truncatingIfNeeded: $0) }
        var child: pid_t = 0
        var failure = nimbus_spawn_failure()
        let result = arguments.withUnsafeBufferPointer { arguments in
            environment.withUnsafeBufferPointer { environment in
                cpus.withUnsafeBufferPointer { cpus in
                    cgroupDescriptors.withUnsafeBufferPointer { cgroupFiles in
                        launch.workingDirectory.withCString { workingDirectory in
                            var request = nimbus_spawn_request(
                                path: arguments[0],
                                arguments: arguments.baseAddress,
                                environment: environment.baseAddress,
                                working_directory: workingDirectory,
                                output: launch.output,
                                open_files: launch.limits.map { $0.openFiles } ?? -1,
                                processes: launch.limits.map { $0.processes } ?? -1,
                                cpus: cpus.baseAddress,
                                cpu_count: Int32(cpus.count),
                                scheduling_policy: launch.scheduling.policy ?? -1,
                                cgroup_files: cgroupFiles.baseAddress,
                                cgroup_file_count: Int32(cgroupFiles.count)
                            )
                            return nimbus_spawn(&request, &child, &failure)
                        }
                    }
                }
            }
        }
        guard result != 0 else { return child }
        switch Int(failure.step) {
        case Int(NIMBUS_SPAWN_CGROUP.rawValue):
            let index = Int(failure.index)
            let file = launch.cgroupFiles.indices.contains(index) ? launch.cgroupFiles[index] : ""
            throw SandboxError(code: .cgroupAttach, path: file, errno: failure.error)
        case Int(NIMBUS_SPAWN_DIRECTORY.rawValue):
            throw SandboxError(code: .spawn, path: launch.workingDirectory, errno: failure.error)
        default:
            throw SandboxError(code: .spawn, path: launch.command[0], errno: failure.error)
        }
    }

    /// Runs a short helper command to completion and returns its exit status and merged output (for probes).
    static func run(_ command: [String]) -> (status: Int32, output: String)? {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors, flags: O_CLOEXEC) == 0 else { return nil }
        let child: pid_t
        do {
            child = try start(Launch(command: command, environment: ["PATH=/usr/bin:/bin"], workingDirectory: "/", output: descriptors[1]))
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

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

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
