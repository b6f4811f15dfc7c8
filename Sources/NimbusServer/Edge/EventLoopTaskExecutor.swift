import NIOCore

/// Runs a task's jobs on one NIO event loop.
///
/// An edge connection's request handling prefers its channel's event loop, so reading a
/// request, running the operation and writing the answer stay on one thread instead of
/// crossing to Swift's cooperative pool and back at every `await`. Only the jobs of tasks that
/// prefer this executor run here; work that blocks must not.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
