import Foundation
import NimbusSandbox
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct CgroupTests {
    private static let megabyte = 1_048_576

    private func python() async throws -> String {
        try #require(await Interpreter.resolve("python3"), "python3 is on every machine of this kind")
    }

    /// Allocates (and touches) 300 MB under a 64 MB limit.
    private func allocate(_ python: String, confinement: Confinement) -> ProcessSpec {
        ProcessSpec(executable: python, arguments: ["-c", "b = bytearray(300 * 1024 * 1024); print('survived')"], confinement: confinement)
    }

    @Test(.enabled(if: hostHasMemoryCgroup), arguments: [true, false])
    func memoryLimitKillsTheChildAndSaysSo(namespaces: Bool) async throws {
        let spec = allocate(try await python(), confinement: Confinement(memoryLimitBytes: 64 * Self.megabyte, useNamespaces: namespaces))
        let (child, output) = try start(spec)
        #expect(await child.exit() == .signalled(SIGKILL))
        let usage = child.usage
        #expect(usage.outOfMemory)
        #expect((usage.peakMemoryBytes ?? 0) >= 60 * Self.megabyte, "\(usage)")
        #expect(child.cleanupFailures.isEmpty)
        await child.outputFinished()
        #expect(!output.received.contains("survived"))
    }

    @Test(.enabled(if: hostHasMemoryCgroup)) func aChildUnderItsLimitIsNotOutOfMemory() async throws {
        let spec = ProcessSpec(
            executable: try await python(),
            arguments: ["-c", "b = bytearray(20 * 1024 * 1024); print('survived')"],
            confinement: Confinement(memoryLimitBytes: 128 * Self.megabyte)
        )
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        let usage = child.usage
        #expect(!usage.outOfMemory)
        #expect((usage.peakMemoryBytes ?? 0) >= 20 * Self.megabyte && (usage.peakMemoryBytes ?? .max) < 128 * Self.megabyte, "\(usage)")
        await child.outputFinished()
        #expect(output.received == ["survived"])
    }

    @Test func withoutAMemoryCgroupPollingKillsTheTree() async throws {
        let spec = allocate(
            try await python(),
            confinement: Confinement(memoryLimitBytes: 64 * Self.megabyte, useNamespaces: false, useCgroups: false)
        )
        let (child, output) = try start(spec)
        // python fills its 300 MB within the 50 ms polling interval sometimes: what counts is that it is killed.
        let exit = await child.exit()
        await child.outputFinished()
        let usage = child.usage
        if output.received.contains("survived") {
            Issue.record("the watchdog did not catch the allocation in time: \(exit) \(usage)")
        } else {
            #expect(exit == .signalled(SIGKILL))
            #expect(usage.outOfMemory)
            #expect((usage.peakMemoryBytes ?? 0) > 64 * Self.megabyte, "\(usage)")
        }
    }

    @Test(.enabled(if: hostHasPidsCgroup), arguments: [true, false])
    func forkBombIsContainedAndKilled(namespaces: Bool) async throws {
        let sleep = uniqueSleep(seconds: 30)
        // The subshell forks until the pids limit stops it (dash reports the failed fork once and gives up); the outer
        // shell then reports and waits without forking again, so it cannot itself hit the limit the subshell reached.
        let script = "(for i in $(seq 2000); do sleep \(sleep) & done) 2>&1; echo forked; exec sleep \(sleep)"
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", script],
            confinement: Confinement(maxProcesses: 50, useNamespaces: namespaces)
        )
        let (child, output) = try start(spec)
        #expect(await output.wait(until: { $0 == "forked" }))
        let count = sleepers(sleep).count
        #expect(count > 10 && count < 50, "\(count) sleepers")
        #expect(output.received.first?.lowercased().contains("fork") == true, "the shell reports the failed fork: \(output.received)")
        child.kill()
        #expect(await child.exit() == .signalled(SIGKILL))
        #expect(sleepers(sleep).isEmpty)
        #expect(child.cleanupFailures.isEmpty)
    }

    @Test(.enabled(if: ChildProcess.capabilities.cgroupVersion == 1 && ChildProcess.capabilities.cgroupControllers.count == 3))
    func limitsAreWrittenToTheChildsOwnCgroupWhichIsRemovedAfterwards() async throws {
        let script = """
            for c in memory cpu pids; do
              echo "$c $(grep -E ":([^:]*,)?$c(,[^:]*)?:" /proc/self/cgroup | cut -d: -f3)"
            done
            cat /sys/fs/cgroup/memory$(grep ':memory:' /proc/self/cgroup | cut -d: -f3)/memory.limit_in_bytes
            cat /sys/fs/cgroup/cpu$(grep ':cpu:' /proc/self/cgroup | cut -d: -f3)/cpu.shares
            cat /sys/fs/cgroup/pids$(grep ':pids:' /proc/self/cgroup | cut -d: -f3)/pids.max
            """
        let confinement = Confinement(memoryLimitBytes: 96 * Self.megabyte, cpuShares: 512, maxProcesses: 77, useNamespaces: false)
        let (child, output) = try start(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], confinement: confinement))
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        let lines = output.received
        try #require(lines.count == 6, "\(lines)")
        #expect(Array(lines[3...]) == [String(96 * Self.megabyte), "512", "77"])
        for line in lines[0..<3] {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            #expect(parts.count == 2 && parts[1].contains("/nimbus-") && parts[1].contains("/child-"), "\(line)")
            #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\(parts[0])\(parts.last ?? "")"), "\(line) was not removed")
        }
    }

    /// A child started ahead of its work (a standby) gets its function's limits while it runs, raised or lowered.
    @Test(.enabled(if: hostHasMemoryCgroup)) func limitsChangeWhileTheChildRuns() async throws {
        let confinement = Confinement(memoryLimitBytes: 128 * Self.megabyte, cpuShares: 74, useNamespaces: false)
        let (child, _) = try start(ProcessSpec(executable: "/bin/sleep", arguments: [uniqueSleep(seconds: 30)], confinement: confinement))
        #expect(memoryLimit(of: child.pid) == 128 * Self.megabyte)
        try child.updateLimits(memoryLimitBytes: 1024 * Self.megabyte, cpuShares: 592, temporaryDirectoryBytes: nil)
        #expect(memoryLimit(of: child.pid) == 1024 * Self.megabyte)
        try child.updateLimits(memoryLimitBytes: 96 * Self.megabyte, cpuShares: 55, temporaryDirectoryBytes: nil)
        #expect(memoryLimit(of: child.pid) == 96 * Self.megabyte)
        child.kill()
        #expect(await child.exit() == .signalled(SIGKILL))
        #expect(child.cleanupFailures.isEmpty)
    }

    /// The memory limit of the cgroup `pid` is in (v1 `memory.limit_in_bytes`, v2 `memory.max`).
    private func memoryLimit(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { continue }
            let file =
                parts[0] == "0"
                ? "/sys/fs/cgroup\(parts[2])/memory.max"
                : parts[1].split(separator: ",").contains("memory") ? "/sys/fs/cgroup/memory\(parts[2])/memory.limit_in_bytes" : nil
            if let file, let value = try? String(contentsOfFile: file, encoding: .utf8) {
                return Int(value.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return nil
    }
}
