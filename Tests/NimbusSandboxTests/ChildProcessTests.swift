import Foundation
import NimbusSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ChildProcessTests {
    @Test(arguments: [true, false]) func deliversLinesAndReportsTheExitCode(namespaces: Bool) async throws {
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "echo one; echo two >&2; printf three; exit 3"],
            confinement: Confinement(useNamespaces: namespaces)
        )
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(3))
        await child.outputFinished()
        #expect(output.received == ["one", "two", "three"])
    }

    @Test func environmentIsOnlyWhatTheSpecGives() async throws {
        let (child, output) = try start(ProcessSpec(executable: "/usr/bin/env", environment: ["ONLY": "this"]))
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["ONLY=this"])
    }

    @Test func limitsAndWorkingDirectoryApplyFromTheStart() async throws {
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "grep -E '^Max (open files|processes) ' /proc/self/limits | awk '{print $(NF-2)}'; pwd"],
            workingDirectory: "/usr",
            limits: ResourceLimits(openFiles: 777, processes: 333)
        )
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        // /proc/self/limits lists processes before open files.
        #expect(output.received == ["333", "777", "/usr"])
    }

    @Test func onlyTheStandardDescriptorsAreInherited() async throws {
        // A descriptor the server opened without O_CLOEXEC must not reach the child.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        let spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "ls /proc/self/fd"], confinement: Confinement(useNamespaces: false))
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        // 3 is the directory ls itself opened to list the others.
        #expect(output.received == ["0", "1", "2", "3"])
    }

    @Test(arguments: [true, false]) func timeoutKillsTheWholeTree(namespaces: Bool) async throws {
        let sleep = uniqueSleep(seconds: 30)
        // The grandchild leaves the process group; only the cgroup or the pid namespace still holds it.
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "setsid sleep \(sleep) & sleep \(sleep)"],
            confinement: Confinement(useNamespaces: namespaces)
        )
        let (child, _) = try start(spec)
        // The bounds are generous for a loaded host; the sleepers would outlive them by far if the kill missed them.
        #expect(await eventually(within: .seconds(20)) { sleepers(sleep).count == 2 })
        let result = await child.exit(within: .milliseconds(100))
        #expect(result.timedOut)
        #expect(result.exit == .signalled(SIGKILL))
        #expect(await eventually(within: .seconds(20)) { sleepers(sleep).isEmpty })
    }

    @Test func missingExecutableIsATypedError() {
        #expect(throws: SandboxError(code: .missingExecutable, path: "/no/such/program", errno: ENOENT)) {
            try ChildProcess(ProcessSpec(executable: "/no/such/program"), output: { _ in })
        }
    }

    /// A step the child fails before its exec comes back as a typed error naming what failed.
    @Test func aMissingWorkingDirectoryIsATypedError() throws {
        let spec = ProcessSpec(executable: "/bin/true", workingDirectory: "/no/such/directory", confinement: Confinement(useNamespaces: false))
        #expect(throws: SandboxError(code: .spawn, path: "/no/such/directory", errno: ENOENT)) {
            try ChildProcess(spec, output: { _ in })
        }
    }

    /// Whatever the server ignores or blocks, the child starts from the defaults, in a session of its own.
    @Test func theChildStartsWithDefaultSignalsInItsOwnSession() async throws {
        let check = ProcessSpec(
            executable: "/bin/sh",
            // Field 6 of /proc/self/stat is the session: a session leader's is its own pid.
            arguments: [
                "-c",
                "grep -E '^Sig(Blk|Ign)' /proc/self/status | tr -d '\\t'; read -r stat < /proc/self/stat; set -- $stat; [ \"$6\" = \"$$\" ] && echo leader",
            ],
            confinement: Confinement(useNamespaces: false)
        )
        // The mask is the spawning thread's: it is set and restored around the spawn, before any suspension point.
        let previous = signal(SIGUSR2, SIG_IGN)
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR1)
        var before = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &before)
        let started = Result { try start(check) }
        pthread_sigmask(SIG_SETMASK, &before, nil)
        signal(SIGUSR2, previous)
        let (child, output) = try started.get()
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["SigBlk:0000000000000000", "SigIgn:0000000000000000", "leader"])
    }

    @Test(.enabled(if: hostHasNamespaces)) func missingReadOnlyPathIsATypedError() throws {
        let spec = ProcessSpec(executable: "/bin/true", confinement: Confinement(readOnlyPaths: ["/no/such/code"]))
        #expect(throws: SandboxError(code: .missingReadOnlyPath, path: "/no/such/code", errno: ENOENT)) {
            try ChildProcess(spec, output: { _ in })
        }
    }

    @Test func capabilitiesDescribeTheHost() {
        let capabilities = ChildProcess.capabilities
        print("sandbox capabilities: \(capabilities)")
        if capabilities.namespaces { #expect(capabilities.bubblewrapVersion != nil) }
        if let version = capabilities.cgroupVersion { #expect([1, 2].contains(version) && !capabilities.cgroupControllers.isEmpty) }
    }
}
