import Foundation
import NimbusSandbox
import Testing

@Suite struct ChildProcessTests {
    private func collect(_ child: ChildProcess) async -> [String] {
        var lines: [String] = []
        for await line in child.lines { lines.append(line) }
        return lines
    }

    @Test func streamsLinesAndReportsTheExitCode() async throws {
        let child = try ChildProcess(ProcessSpec(executable: "/bin/sh", arguments: ["-c", "echo one; echo two >&2; printf three; exit 3"]))
        #expect(await collect(child) == ["one", "two", "three"])
        #expect(await child.exit() == .exited(3))
    }

    @Test func environmentIsOnlyWhatTheSpecGives() async throws {
        let child = try ChildProcess(ProcessSpec(executable: "/usr/bin/env", environment: ["ONLY": "this"]))
        #expect(await collect(child) == ["ONLY=this"])
        #expect(await child.exit() == .exited(0))
    }

    @Test func limitsAndWorkingDirectoryApplyFromTheStart() async throws {
        let spec = ProcessSpec(
            executable: "/bin/sh",
            arguments: ["-c", "grep -E '^Max (open files|processes) ' /proc/self/limits | awk '{print $(NF-2)}'; pwd"],
            workingDirectory: "/tmp",
            limits: ResourceLimits(openFiles: 777, processes: 333)
        )
        let child = try ChildProcess(spec)
        let lines = await collect(child)
        // /proc/self/limits lists processes before open files.
        #expect(lines == ["333", "777", "/tmp"], "\(lines)")
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)").path
        // The grandchild would create the marker after 2 s if it survived its parent's group kill.
        let script = "(sleep 2; touch \(marker)) & sleep 30"
        let child = try ChildProcess(ProcessSpec(executable: "/bin/sh", arguments: ["-c", script]))
        let started = ContinuousClock.now
        let result = await child.exit(within: .milliseconds(300))
        #expect(result.timedOut)
        #expect(result.exit == .signalled(SIGKILL))
        #expect(ContinuousClock.now - started < .seconds(5))
        try await Task.sleep(for: .milliseconds(2500))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func missingExecutableIsATypedError() {
        #expect(throws: SandboxError.self) { try ChildProcess(ProcessSpec(executable: "/no/such/program")) }
    }
}
