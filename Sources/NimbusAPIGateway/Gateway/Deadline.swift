import Synchronization

/// Runs an operation with a deadline that answers for it when it takes too long, without
/// waiting for it: an integration past its `TimeoutInMillis` answers 503 while the function
/// runs on until its own timeout ends it.
enum Deadline {
    /// The operation's result, or `nil` when `seconds` passed first.
    static func race<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        let race = Race<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T?, any Error>) in
            race.continuation.withLock { $0 = continuation }
            // The timer and the work each own a task; whichever ends first resumes the caller.
            // The work cancels the timer when it wins; when the timer wins, the work ends on its own.
            let timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
                if !Task.isCancelled { race.finish(.success(nil)) }
            }
            race.timer.withLock { $0 = timer }
            Task {
                let result: Result<T?, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                race.finish(result)
                race.timer.withLock { $0 }?.cancel()
            }
        }
    }

    private final class Race<T: Sendable>: Sendable {
        let continuation = Mutex<CheckedContinuation<T?, any Error>?>(nil)
        let timer = Mutex<Task<Void, Never>?>(nil)

        func finish(_ result: Result<T?, any Error>) {
            continuation.withLock { $0.take() }?.resume(with: result)
        }
    }
}
