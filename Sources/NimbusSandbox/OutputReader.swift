import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Reads a child's merged stdout and stderr on a thread of its own and hands each line to `output`, in order.
///
/// `drain()` is a barrier: it wakes the thread through a second pipe, the thread reads exactly the bytes the output
/// pipe held at that moment (`FIONREAD`; a chatty child cannot keep it reading forever), delivers the complete lines
/// and only then resumes the caller. A partial line stays pending until its newline comes, unless the child has
/// exited, and is delivered when the pipe closes. `output` runs on the reader thread; while it blocks, the pipe
/// fills and the child blocks in `write`: that is the backpressure.
final class OutputReader: Sendable {
    private struct State {
        var drains: [CheckedContinuation<Void, Never>] = []
        var finishes: [CheckedContinuation<Void, Never>] = []
        var finished = false
        var childExited = false
    }

    private let state = Mutex(State())
    /// The write end of the wake pipe; the reader thread owns (and closes) the read ends.
    private let wake: Int32
    /// The output pipe's read end, for `drain`'s fast path (only while `idle`, when it is surely open).
    private let descriptor: Int32
    /// True while the reader thread waits in `poll` with everything it read delivered.
    private let idle = Atomic(false)

    /// Starts the reader thread; it owns `descriptor` from now on.
    /// - Throws: `.pipe` when the wake pipe cannot be made.
    init(_ descriptor: Int32, output: @escaping @Sendable (String) -> Void) throws(SandboxError) {
        var wakePipe: [Int32] = [0, 0]
        let failure = Spawn.pipe(&wakePipe, flags: O_CLOEXEC | O_NONBLOCK)
        guard failure == 0 else { throw SandboxError(code: .pipe, path: "wake", errno: failure) }
        wake = wakePipe[1]
        self.descriptor = descriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        let woken = wakePipe[0]
        let thread = Thread { [self] in
            read(descriptor, woken: woken, output: output)
            close(descriptor)
            close(woken)
        }
        thread.start()
    }

    deinit { close(wake) }

    /// Returns once every byte written to the pipe before the call has been delivered (see the type's notes).
    func drain() async {
        if isDrained() { return }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.finished { return true }
                state.drains.append(continuation)
                return false
            }
            if done {
                continuation.resume()
            } else {
                var byte: UInt8 = 1
                _ = write(wake, &byte, 1)
            }
        }
    }

    /// The fast path, without waking the reader: it is idle in `poll` (so it delivered all it read and the
    /// pipe is open) and the pipe holds nothing, before and after the check. The reader only closes the
    /// pipe after leaving its loop, where it is never idle again, so the second look rules that out.
    private func isDrained() -> Bool {
        guard idle.load(ordering: .sequentiallyConsistent), !state.withLock({ $0.childExited }) else { return false }
        var available: Int32 = 0
        guard ioctl(descriptor, UInt(FIONREAD), &available) == 0, available == 0 else { return false }
        return idle.load(ordering: .sequentiallyConsistent)
    }

    /// Returns once the pipe has closed and every line has been delivered.
    func finished() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.finished { return true }
                state.finishes.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Lets the next drain deliver a partial line: the child is gone and will not finish it.
    func childExited() {
        state.withLock { $0.childExited = true }
    }

    private func read(_ descriptor: Int32, woken: Int32, output: (String) -> Void) {
        var lines = LineSplitter()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var open = true

        /// Reads at most `limit` bytes, delivering lines; false at end of file.
        func consume(upTo limit: Int) -> Bool {
            var remaining = limit
            while remaining > 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, min($0.count, remaining)) }
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno == EAGAIN
                }
                if count == 0 { return false }
                buffer.withUnsafeBytes { lines.append(UnsafeRawBufferPointer(rebasing: $0[0..<count]), emit: output) }
                remaining -= count
            }
            return true
        }

        while open {
            var events = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: woken, events: Int16(POLLIN), revents: 0)]
            idle.store(true, ordering: .sequentiallyConsistent)
            let polled = poll(&events, 2, -1)
            idle.store(false, ordering: .sequentiallyConsistent)
            guard polled >= 0 || errno == EINTR else { break }
            if events[1].revents != 0 {
                var sink = [UInt8](repeating: 0, count: 64)
                while Glibc.read(woken, &sink, sink.count) > 0 {}
                let (drains, childExited) = state.withLock { state in
                    defer { state.drains = [] }
                    return (state.drains, state.childExited)
                }
                var available: Int32 = 0
                _ = withUnsafeMutablePointer(to: &available) { ioctl(descriptor, UInt(FIONREAD), $0) }
                open = consume(upTo: Int(available))
                if childExited || !open { lines.flush(emit: output) }
                for drain in drains { drain.resume() }
            }
            if open, events[0].revents != 0 {
                open = consume(upTo: buffer.count)
            }
        }
        lines.flush(emit: output)
        let waiters = state.withLock { state in
            state.finished = true
            defer {
                state.drains = []
                state.finishes = []
            }
            return state.drains + state.finishes
        }
        for waiter in waiters { waiter.resume() }
    }
}
