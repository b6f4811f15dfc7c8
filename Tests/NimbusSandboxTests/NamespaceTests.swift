import Foundation
import NimbusSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.enabled(if: hostHasNamespaces)) struct NamespaceTests {
    @Test func hiddenPathsAreEmptyAndReadOnlyPathsShowThroughThem() async throws {
        let data = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: "\(data)/code", withIntermediateDirectories: true)
        try "secret".write(toFile: "\(data)/secret", atomically: false, encoding: .utf8)
        try "print".write(toFile: "\(data)/code/handler.py", atomically: false, encoding: .utf8)
        let script = """
            cat \(data)/secret 2>/dev/null || echo no secret
            ls -A \(data)
            cat \(data)/code/handler.py; echo
            touch \(data)/code/planted 2>/dev/null || echo code is read-only
            touch \(data)/planted 2>/dev/null || echo hidden is read-only
            touch /usr/planted 2>/dev/null || echo host is read-only
            """
        let confinement = Confinement(readOnlyPaths: ["\(data)/code"], hiddenPaths: [data])
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], confinement: confinement))
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["no secret", "code", "print", "code is read-only", "hidden is read-only", "host is read-only"])
        #expect(!FileManager.default.fileExists(atPath: "\(data)/code/planted"))
    }

    /// The layout Lambda uses, with the data directory under the host's /tmp (as `mktemp -d` makes it):
    /// the private /tmp must not swallow the code directory.
    @Test func aDataDirectoryUnderTmpKeepsItsCodeVisibleBesideThePrivateTmp() async throws {
        let data = "/tmp/nimbus-sandbox-tests-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: "\(data)/code", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(data)/tmp", withIntermediateDirectories: true)
        try "print".write(toFile: "\(data)/code/handler.py", atomically: false, encoding: .utf8)
        try "secret".write(toFile: "\(data)/secret", atomically: false, encoding: .utf8)
        let confinement = Confinement(temporaryDirectoryRoot: "\(data)/tmp", readOnlyPaths: ["\(data)/code"], hiddenPaths: [data])
        let script = "cat \(data)/code/handler.py; echo; cat \(data)/secret 2>/dev/null || echo no secret; echo x > /tmp/note && echo tmp ok"
        let (child, output) = try start(
            ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], workingDirectory: "\(data)/code", confinement: confinement)
        )
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["print", "no secret", "tmp ok"])
    }

    @Test func aHiddenFileReadsAsEmpty() async throws {
        let data = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        try "secret".write(toFile: "\(data)/key", atomically: false, encoding: .utf8)
        let confinement = Confinement(hiddenPaths: ["\(data)/key", "/no/such/path"])
        let (child, output) = try start(
            ProcessSpec(executable: "/bin/sh", arguments: ["-c", "echo \"[$(cat \(data)/key)]\""], confinement: confinement)
        )
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["[]"])
    }

    @Test func tmpIsTheChildsOwnDirectory() async throws {
        let root = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let confinement = Confinement(temporaryDirectoryRoot: root)
        let script = "echo hello > /tmp/note && echo written; echo \"TMPDIR=${TMPDIR-unset}\"; sleep 30"
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], confinement: confinement))
        let directory = try #require(child.temporaryDirectory)
        #expect(directory.hasPrefix(root + "/"))
        #expect(await output.wait(until: { $0.hasPrefix("TMPDIR=") }))
        #expect(output.received == ["written", "TMPDIR=unset"])
        #expect(try String(contentsOfFile: "\(directory)/note", encoding: .utf8) == "hello\n")
        let mode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        child.kill()
        #expect(await child.exit() == .signalled(SIGKILL))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func theChildHasItsOwnPidNamespace() async throws {
        let script = "echo $$; ls /proc | grep -c '^[0-9]'"
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script]))
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        // bubblewrap is pid 1; the shell, and ls and grep beside it, are the only other processes.
        let lines = output.received
        #expect(lines.first.flatMap { Int($0) }.map { $0 < 10 } == true, "\(lines)")
        #expect(lines.last.flatMap { Int($0) }.map { $0 < 10 } == true, "\(lines)")
    }

    @Test func killingEndsTheNamespaceWithoutCgroups() async throws {
        let sleep = uniqueSleep(seconds: 30)
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "(setsid sleep \(sleep) &); echo started; sleep \(sleep)"],
            confinement: Confinement(useCgroups: false)
        )
        let (child, output) = try start(spec)
        #expect(await output.wait(until: { $0 == "started" }))
        #expect(await eventually { sleepers(sleep).count == 2 })
        child.kill()
        #expect(await child.exit() == .signalled(SIGKILL))
        #expect(await eventually { sleepers(sleep).isEmpty })
    }

    /// bubblewrap sets `PWD` itself: the child still sees exactly the spec's `PWD`, or none when the spec has none.
    @Test(arguments: [nil, "/usr", "/elsewhere"]) func pwdIsTheSpecs(pwd: String?) async throws {
        let spec = ProcessSpec(executable: "/usr/bin/env", environment: pwd.map { ["PWD": $0] } ?? [:], workingDirectory: "/usr")
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received.filter { $0.hasPrefix("PWD=") } == (pwd.map { ["PWD=\($0)"] } ?? []))
    }

    @Test func aSignalInsideIsReportedAsTheProgramsExit() async throws {
        let (child, _) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"]))
        #expect(await child.exit() == .signalled(SIGTERM))
    }

    @Test(.enabled(if: ChildProcess.capabilities.tmpfsSizeLimit)) func withoutARootTmpIsASizedTmpfs() async throws {
        let confinement = Confinement(temporaryDirectoryBytes: 1_048_576)
        let script = "head -c 2000000 /dev/zero > /tmp/big 2>/dev/null || echo full; df -k /tmp | tail -1 | awk '{print $2}'"
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], confinement: confinement))
        #expect(child.temporaryDirectory == nil)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["full", "1024"])
    }

    /// `/var` is the child's own: its task directory at `/var/task`, read-only, and none of the host's.
    @Test func theTaskDirectoryIsAtVarTaskAndTheHostsVarIsGone() async throws {
        let code = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: code) }
        try "print".write(toFile: "\(code)/handler.py", atomically: false, encoding: .utf8)
        let script = """
            cat /var/task/handler.py; echo
            ls -A /var
            touch /var/task/planted 2>/dev/null || echo task is read-only
            touch /var/planted 2>/dev/null || echo var is read-only
            """
        let confinement = Confinement(taskDirectory: code)
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], confinement: confinement))
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["print", "lock", "run", "task", "task is read-only", "var is read-only"])
    }

    /// A child started with an empty `/var/task` gets its directory later, read-only, and only inside its namespace.
    @Test(.enabled(if: geteuid() == 0)) func aTaskDirectoryMountedIntoARunningChildIsReadOnlyAndItsOwn() async throws {
        let code = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: code) }
        try "print".write(toFile: "\(code)/handler.py", atomically: false, encoding: .utf8)
        let script = """
            echo started; ls -A /var/task | wc -l
            while [ ! -e /var/task/handler.py ]; do sleep 0.01; done
            cd /var/task && cat handler.py; echo
            touch /var/task/planted 2>/dev/null || echo task is read-only
            """
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], confinement: Confinement()))
        #expect(await output.wait(until: { $0 == "0" }))
        try child.mountTaskDirectory(code)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["started", "0", "print", "task is read-only"])
        let hostMounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!hostMounts.contains(" /var/task "))
    }

    @Test func aChildWithoutNamespacesHasNoTaskDirectoryToMount() async throws {
        let (child, _) = try start(ProcessSpec(executable: "/bin/sleep", arguments: ["5"], confinement: Confinement(useNamespaces: false)))
        #expect(throws: SandboxError.self) { try child.mountTaskDirectory("/usr") }
        child.kill()
        _ = await child.exit()
    }
}
