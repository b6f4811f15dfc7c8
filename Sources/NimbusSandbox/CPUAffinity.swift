import CSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The CPUs a thread may run on. The server's event loops are each kept on one CPU, and an
/// instance's processes on the CPU of the loop that serves its Runtime API, so that handing an
/// event to the runtime and reading its answer wake a thread on a CPU that is already awake
/// (`docs/sandbox.md`).
package enum CPUAffinity {
    /// The CPUs the calling thread may run on, ascending; empty when the kernel does not say.
    package static func ofCurrentThread() -> [Int] {
        read(nimbus_thread_cpus)
    }

    /// The CPUs the server was started with (its main thread's, which is never restricted).
    package static func ofServer() -> [Int] {
        read(nimbus_main_thread_cpus)
    }

    /// Restricts the calling thread to `cpus`; whether the kernel accepted it.
    @discardableResult
    package static func restrictCurrentThread(to cpus: [Int]) -> Bool {
        let numbers = cpus.map { Int32(truncatingIfNeeded: $0) }
        return !numbers.isEmpty && nimbus_restrict_thread_cpus(numbers, Int32(numbers.count)) == 0
    }

    private static func read(_ query: (UnsafeMutablePointer<Int32>, Int32) -> Int32) -> [Int] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let count = query(&cpus, Int32(cpus.count))
        return count > 0 ? cpus[..<Int(count)].map(Int.init) : []
    }
}
