import Foundation
import NimbusSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct TemporaryDirectoryTests {
    @Test func withoutNamespacesTMPDIRPointsAtTheChildsDirectory() async throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let root = scratch + "/nested/root"
        let confinement = Confinement(temporaryDirectoryRoot: root, useNamespaces: false)
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "echo $TMPDIR; mkdir $TMPDIR/d; echo x > $TMPDIR/d/f; chmod 000 $TMPDIR/d; ln -s /etc $TMPDIR/etc"],
            environment: ["TMPDIR": "/tmp"],
            confinement: confinement
        )
        let (child, output) = try start(spec)
        let directory = try #require(child.temporaryDirectory)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == [directory])
        // Removed with everything in it, an unreadable directory too, without following the symlink.
        #expect(!FileManager.default.fileExists(atPath: directory))
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
        #expect(child.cleanupFailures.isEmpty)
    }

    @Test(arguments: [true, false]) func growingPastTheSizeKillsTheChild(namespaces: Bool) async throws {
        let root = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let confinement = Confinement(temporaryDirectoryRoot: root, temporaryDirectoryBytes: 1_048_576, useNamespaces: namespaces)
        let target = namespaces ? "/tmp" : "$TMPDIR"
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "head -c 4000000 /dev/urandom > \(target)/big; sleep 30"],
            confinement: confinement
        )
        let (child, _) = try start(spec)
        let result = await child.exit(within: .seconds(10))
        #expect(!result.timedOut)
        #expect(result.exit == .signalled(SIGKILL))
        #expect(child.usage.temporaryDirectoryExceeded)
        #expect(!child.usage.outOfMemory)
    }

    @Test func aRootThatCannotBeCreatedIsATypedError() {
        let spec = ProcessSpec(executable: "/bin/true", confinement: Confinement(temporaryDirectoryRoot: "/proc/nimbus-cannot-be-here"))
        #expect(throws: SandboxError(code: .temporaryDirectoryCreate, path: "/proc/nimbus-cannot-be-here", errno: ENOENT)) {
            try ChildProcess(spec, output: { _ in })
        }
    }
}
