import Foundation
import Synchronization
import Testing

@testable import NimbusSandbox

#if canImport(Glibc)
import Glibc
#endif

@Suite struct OutputTests {
    @Test(arguments: [true, false]) func drainDeliversWhatWasPrintedBeforeTheChildSignalled(namespaces: Bool) async throws {
        let root = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Each round: print two lines and a partial one, then signal through a file in the child's /tmp (as an
        // instance answers an HTTP request right after printing); the next round starts when the test says so.
        let script = """
            i=1; while [ $i -le 20 ]; do
              echo "line $i a"; echo "line $i b" >&2; printf "part $i"; touch $TMPDIR/printed-$i
              while [ ! -e $TMPDIR/go-$i ]; do sleep 0.002; done; echo; i=$((i+1))
            done
            """
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", script],
            environment: ["TMPDIR": "/tmp"],
            confinement: Confinement(temporaryDirectoryRoot: root, useNamespaces: namespaces)
        )
        let (child, output) = try start(spec)
        defer { child.kill() }
        let directory = try #require(child.temporaryDirectory)
        var expected: [String] = []
        for round in 1...20 {
            let deadline = ContinuousClock.now + .seconds(10)
            while !FileManager.default.fileExists(atPath: "\(directory)/printed-\(round)") {
                try #require(ContinuousClock.now < deadline, "round \(round) never signalled: \(output.received)")
                try await Task.sleep(for: .milliseconds(1))
            }
            await child.drainOutput()
            expected += ["line \(round) a", "line \(round) b"]
            // The partial line stays pending: its newline may still come.
            #expect(output.received == expected, "round \(round)")
            _ = FileManager.default.createFile(atPath: "\(directory)/go-\(round)", contents: nil)
            expected.append("part \(round)")
        }
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == expected)
    }

    @Test func drainFlushesThePartialLineOfAnExitedChild() async throws {
        // The detached grandchild keeps the pipe open, so only the child's exit says the partial line is complete.
        let sleep = uniqueSleep(seconds: 30)
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "printf 'no newline'; setsid sleep \(sleep) &"],
            confinement: Confinement(useNamespaces: false, useCgroups: false)
        )
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        await child.drainOutput()
        #expect(output.received == ["no newline"])
        for pid in sleepers(sleep) { kill(pid, SIGKILL) }
        await child.outputFinished()
        #expect(output.received == ["no newline"])
    }

    @Test func drainReturnsWhileTheChildKeepsPrinting() async throws {
        // A drain reads what the pipe held when it was called, so a child that never stops cannot hold it.
        let spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "seq 1 300000"], confinement: Confinement(useNamespaces: false))
        let (child, output) = try start(spec)
        for _ in 0..<200 { await child.drainOutput() }
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == (1...300_000).map(String.init))
    }

    @Test func longLinesAreSplitIntoChunks() async throws {
        let script = "head -c 600000 /dev/zero | tr '\\\\0' a; echo; head -c 262144 /dev/zero | tr '\\\\0' b; echo; echo end"
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script]))
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received.map(\.count) == [262_144, 262_144, 75_712, 262_144, 3])
        #expect(output.received.last == "end")
    }

    @Test func aBusyHandlerBlocksTheChild() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = Output()
        let released = Mutex(false)
        let script = "yes line | head -n 200000; touch \(directory)/finished"
        let child = try ChildProcess(
            ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], confinement: Confinement(useNamespaces: false)),
            output: { line in
                while !released.withLock({ $0 }) { usleep(1000) }
                output.handler(line)
            }
        )
        // The handler holds the first line; 1.2 MB do not fit in the pipe, so the child cannot get past its writes.
        try await Task.sleep(for: .milliseconds(300))
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/finished"))
        released.withLock { $0 = true }
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received.count == 200_000)
    }

    @Test func splitterKeepsCharactersWhole() {
        var splitter = LineSplitter(maximumLength: 4)
        var lines: [String] = []
        // "aéé" is 5 bytes: a 4-byte cut would split the second é.
        let bytes = Array("aéé\nabcd\nabcde".utf8)
        bytes.withUnsafeBytes { splitter.append($0, emit: { lines.append($0) }) }
        // The partial "abcde" is past the maximum already, so its first chunk goes out at once.
        #expect(lines == ["aé", "é", "abcd", "abcd"])
        #expect(splitter.hasPartialLine)
        splitter.flush(emit: { lines.append($0) })
        #expect(lines == ["aé", "é", "abcd", "abcd", "e"])
    }

    @Test func splitterHoldsALineOfExactlyTheMaximumUntilItsNewline() {
        var splitter = LineSplitter(maximumLength: 4)
        var lines: [String] = []
        Array("abcd".utf8).withUnsafeBytes { splitter.append($0, emit: { lines.append($0) }) }
        #expect(lines.isEmpty)
        Array("\n".utf8).withUnsafeBytes { splitter.append($0, emit: { lines.append($0) }) }
        #expect(lines == ["abcd"])
    }
}
