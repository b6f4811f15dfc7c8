import Dispatch
import Foundation
import Synchronization

/// Dedicated threads for the file-system calls that block for milliseconds (fsync of a blob and
/// of its folder, rename): run on Swift's cooperative pool, which has one thread per core, they
/// would let only two blob commits wait on the disk at once on a two-core machine. Here up to
/// `threads` wait in parallel, so concurrent commits share the disk's journal flushes.
///
/// One process-wide pool, like NIO's `NIOThreadPool.singleton`; its threads live as long as the process.
final class BlockingIO: Sendable {
    /// The pool blob stores use.
    static let shared = BlockingIO(threads: 64)

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { self.work() }
            thread.name = "nimbus-blocking-io-\(index)"
            thread.start()
        }
    }

    private func work() -> Never {
        while true {
            pending.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            job?()
        }
    }

    /// Runs `body` on one of the pool's threads and returns (or throws) what it did.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            jobs.withLock { $0.append { continuation.resume(with: Result { try body() }) } }
            pending.signal()
        }
    }
}
