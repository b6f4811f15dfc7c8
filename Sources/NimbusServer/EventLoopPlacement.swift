import NIOCore
import NIOPosix
import NimbusSandbox

/// Keeps each of the server's event loops on one CPU of its own.
///
/// An instance then runs on the CPU of the loop that serves its Runtime API
/// (`RuntimeAPIServer`): writing an event to the runtime and reading its answer wake a thread
/// on the CPU that is already running, instead of an idle one, which on a virtual machine
/// means an exit to the hypervisor for every wake-up (docs/performance.md).
enum EventLoopPlacement {
    /// Gives the loops of `group` the server's CPUs in turn; does nothing when the server may
    /// use only one CPU.
    static func spread(_ group: MultiThreadedEventLoopGroup) async {
        let cpus = CPUAffinity.ofServer()
        guard cpus.count > 1 else { return }
        var loops = group.makeIterator()
        var index = 0
        while let loop = loops.next() {
            let cpu = cpus[index % cpus.count]
            _ = try? await loop.submit { CPUAffinity.restrictCurrentThread(to: [cpu]) }.get()
            index += 1
        }
    }
}
