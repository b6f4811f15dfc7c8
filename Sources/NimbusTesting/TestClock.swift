import NimbusCore
import Synchronization

/// A wall clock that moves only when a test advances it.
package final class TestWallClock: WallClock {
    private let seconds: Mutex<Double>

    package init(_ start: Double = 1_767_323_045) {
        seconds = Mutex(start)
    }

    package func now() -> Double { seconds.withLock { $0 } }

    package func advance(by delta: Double) {
        seconds.withLock { $0 += delta }
    }
}
