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
            confinement: Confinement(batchScheduling: batch, useNamespaces: false)
        )
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == [batch ? "policy:3" : "policy:0"])
        #expect(sched_getscheduler(0) == SCHED_OTHER)
    }
}
