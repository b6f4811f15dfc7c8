import Foundation
import NimbusSandbox
import Synchronization
import Testing

/// A child confined to CPUs starts on them (and so does everything it forks, bubblewrap's
/// sandboxed process included), while the thread that spawned it keeps its own.
@Suite struct CPUAffinityTests {
    @Test(arguments: [true, false]) func theChildRunsOnlyOnItsCPUs(namespaces: Bool) async throws {
        let own = CPUAffinity.ofCurrentThread()
        try #require(own.count > 1, "needs a machine with two CPUs")
        let last = try #require(own.last)
        let spec = ProcessSpec(
            executable: "/bin/sh",
            // A grandchild reports its own affinity: it was inherited across the forks.
            arguments: ["-c", "sh -c 'grep Cpus_allowed_list /proc/self/status' | tr -d '\\t'"],
            confinement: Confinement(cpus: [last], useNamespaces: namespaces)
        )
        let (child, output) = try start(spec)
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received.count == 1 && cpus(inList: output.received.first?.split(separator: ":").last ?? "") == [last])
        #expect(CPUAffinity.ofCurrentThread() == own)
    }

    /// A thread kept on one CPU (an event loop) spawns a child without a restriction of its own:
    /// the child gets every CPU the server started with, not the thread's one.
    @Test func aChildWithoutCPUsGetsAllTheServers() throws {
        let server = CPUAffinity.ofServer()
        let first = try #require(server.first)
        let seen = Mutex<[String]?>(nil)
        let thread = Thread {
            CPUAffinity.restrictCurrentThread(to: [first])
            let spec = ProcessSpec(
                executable: "/bin/sh",
                arguments: ["-c", "grep Cpus_allowed_list /proc/self/status | tr -d '\\t'"],
                confinement: Confinement(useNamespaces: false)
            )
            let started = try? start(spec)
            let restricted = CPUAffinity.ofCurrentThread()
            guard let (child, output) = started else { return }
            let done = DispatchSemaphore(value: 0)
            Task {
                _ = await child.exit()
                await child.outputFinished()
                done.signal()
            }
            done.wait()
            seen.withLock { $0 = output.received + ["thread:\(restricted)"] }
        }
        thread.start()
        while !thread.isFinished { usleep(1_000) }
        let lines = try #require(seen.withLock { $0 })
        #expect(lines.count == 2 && lines.last == "thread:[\(first)]")
        #expect(cpus(inList: lines.first?.split(separator: ":").last ?? "") == server)
    }

    @Test func aThreadIsRestrictedAndGivenItsCPUsBack() throws {
        let own = CPUAffinity.ofCurrentThread()
        let first = try #require(own.first)
        // On a thread of its own, so that no other test's thread is restricted meanwhile.
        let seen = Mutex<(restricted: [Int], refused: Bool, restored: [Int])?>(nil)
        let thread = Thread {
            CPUAffinity.restrictCurrentThread(to: [first])
            let restricted = CPUAffinity.ofCurrentThread()
            let refused = !CPUAffinity.restrictCurrentThread(to: [-1])
            CPUAffinity.restrictCurrentThread(to: own)
            seen.withLock { $0 = (restricted, refused, CPUAffinity.ofCurrentThread()) }
        }
        thread.start()
        while !thread.isFinished { usleep(1_000) }
        let result = try #require(seen.withLock { $0 })
        #expect(result.restricted == [first] && result.refused && result.restored == own)
    }
}

/// The CPUs of a kernel CPU list (`0-2,5`).
private func cpus(inList list: Substring) -> [Int] {
    list.split(separator: ",").flatMap { range -> [Int] in
        let bounds = range.split(separator: "-").compactMap { Int($0) }
        guard let low = bounds.first, let high = bounds.last else { return [] }
        return Array(low...high)
    }
}
