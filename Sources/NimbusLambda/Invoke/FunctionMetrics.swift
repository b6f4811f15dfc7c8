import Synchronization

/// Per-function counters since the server started, named as AWS's Lambda metrics are:
/// what the metrics service will export, and what `nimbus functions` shows.
package final class FunctionMetrics: Sendable {
    package struct Counters: Sendable, Hashable {
        /// Invocations that ran (`Invocations`), of which ended in a function error (`Errors`).
        package var invocations = 0
        package var errors = 0
        /// Invocations refused for concurrency (`Throttles`).
        package var throttles = 0
        /// Sum and maximum of the invocations' durations (`Duration`), in milliseconds.
        package var totalDurationMilliseconds = 0.0
        package var maximumDurationMilliseconds = 0.0
        /// Asynchronous events queued (`AsyncEventsReceived`), and dropped after their retries
        /// or maximum age (`AsyncEventsDropped`).
        package var asyncEventsReceived = 0
        package var asyncEventsDropped = 0
        /// Records sent to a dead-letter queue, and ones it could not take (`DeadLetterErrors`).
        package var deadLetterDelivered = 0
        package var deadLetterErrors = 0
        /// Records a destination could not take (`DestinationDeliveryFailures`).
        package var destinationDeliveryFailures = 0
        /// Time from queueing to an attempt, last and maximum (`AsyncEventAge`), in milliseconds.
        package var lastAsyncEventAgeMilliseconds = 0.0
        package var maximumAsyncEventAgeMilliseconds = 0.0
    }

    private let counters = Mutex<[String: Counters]>([:])

    func update(_ function: String, _ change: (inout Counters) -> Void) {
        counters.withLock { change(&$0[function, default: Counters()]) }
    }

    func recordInvocation(_ function: String, milliseconds: Double, failed: Bool) {
        update(function) { counters in
            counters.invocations += 1
            if failed { counters.errors += 1 }
            counters.totalDurationMilliseconds += milliseconds
            counters.maximumDurationMilliseconds = max(counters.maximumDurationMilliseconds, milliseconds)
        }
    }

    func recordAsyncEventAge(_ function: String, milliseconds: Double) {
        update(function) { counters in
            counters.lastAsyncEventAgeMilliseconds = milliseconds
            counters.maximumAsyncEventAgeMilliseconds = max(counters.maximumAsyncEventAgeMilliseconds, milliseconds)
        }
    }

    func snapshot(_ function: String) -> Counters {
        counters.withLock { $0[function] ?? Counters() }
    }

    func forget(_ function: String) {
        _ = counters.withLock { $0.removeValue(forKey: function) }
    }
}
