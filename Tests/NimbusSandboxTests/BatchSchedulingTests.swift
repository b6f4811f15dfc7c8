import Foundation
import NimbusSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A child confined with `batchScheduling` runs under `SCHED_BATCH` (its grandchildren too), and
/// the thread that spawned it keeps its own policy.
@Suite struct BatchSchedulingTests {
    @Test(arguments: [true, false]) func theChildRunsUnderBatch(batch: Bool) async throws {
        let spec = ProcessSpec(
            executable: "/bin/sh",
            // /proc/<pid>/sched names the policy by number: SCHED_BATCH is 3, SCHED_OTHER 0.
            arguments: ["-c", "sh -c 'grep -E \"^policy\" /proc/self/sched' | tr -d ' '"],
            confinement: Confinement(scheduling: batch ? .batch : .inherited, useNamespaces: false)
        )
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == [batch ? "policy:3" : "policy:0"])
        #expect(sched_getscheduler(0) == SCHED_OTHER)
    }

    /// A child started idle, ahead of its work, is moved to the batch policy when it gets it.
    @Test func anIdleChildIsMovedToBatch() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = """
            grep -E "^policy" /proc/$$/sched | tr -d ' '
            while [ ! -e \(directory)/go ]; do sleep 0.01; done
            grep -E "^policy" /proc/$$/sched | tr -d ' '
            """
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", script],
            confinement: Confinement(scheduling: .idle, useNamespaces: false)
        )
        let (child, output) = try start(spec)
        // SCHED_IDLE is 5.
        #expect(await output.wait(until: { $0 == "policy:5" }))
        try child.setScheduling(.batch)
        FileManager.default.createFile(atPath: "\(directory)/go", contents: Data())
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["policy:5", "policy:3"])
    }
}
