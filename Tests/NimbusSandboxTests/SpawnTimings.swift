import Foundation
import NimbusSandbox
import Testing

/// Prints how long starting `/bin/true` and waiting for its exit takes under each confinement; asserts nothing.
///
/// Run with `NIMBUS_SANDBOX_TIMINGS=1 swift test --filter SpawnTimings`; docs/sandbox.md records the numbers.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NIMBUS_SANDBOX_TIMINGS"] == "1"), .serialized)
struct SpawnTimings {
    private static let rounds = 50

    @Test(arguments: [
        ("plain", Confinement(useNamespaces: false, useCgroups: false)),
        ("cgroups", Confinement(memoryLimitBytes: 128 << 20, cpuShares: 1024, maxProcesses: 1024, useNamespaces: false)),
        ("bubblewrap", Confinement(useCgroups: false)),
        ("bubblewrap + cgroups", Confinement(memoryLimitBytes: 128 << 20, cpuShares: 1024, maxProcesses: 1024)),
        (
            "bubblewrap + cgroups + /tmp dir",
            Confinement(
                memoryLimitBytes: 128 << 20,
                cpuShares: 1024,
                maxProcesses: 1024,
                temporaryDirectoryRoot: "/var/tmp/nimbus-sandbox-timings",
                temporaryDirectoryBytes: 512 << 20
            )
        ),
    ])
    func spawnTrue(name: String, confinement: Confinement) async throws {
        var spawns: [Duration] = []
        var totals: [Duration] = []
        for _ in 0..<Self.rounds {
            let started = ContinuousClock.now
            let child = try ChildProcess(ProcessSpec(executable: "/bin/true", confinement: confinement), output: { _ in })
            spawns.append(ContinuousClock.now - started)
            #expect(await child.exit() == .exited(0))
            totals.append(ContinuousClock.now - started)
        }
        func median(_ values: [Duration]) -> String {
            let sorted = values.sorted()
            let milliseconds =
                Double(sorted[sorted.count / 2].components.attoseconds) / 1e15 + Double(sorted[sorted.count / 2].components.seconds) * 1000
            return String(format: "%.2f ms", milliseconds)
        }
        print("spawn timing \(name): init median \(median(spawns)), init to exit median \(median(totals)) over \(Self.rounds) runs")
    }
}
