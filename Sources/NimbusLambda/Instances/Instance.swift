import Foundation
import NimbusSandbox
import Synchronization

/// One execution environment of a function version: a confined runtime process, its own
/// Runtime API listener and its log stream. It initialises once, then runs one invocation at
/// a time until it is stopped, times out or dies; the pool decides when it is reused.
final class Instance: Sendable {
    let id: String
    let key: InstanceKey
    let log: InstanceLog
    let memorySize: Int
    private let child: ChildProcess
    private let session: RuntimeSession
    private let binding: any RuntimeAPIBinding
    private let deadlines: DeadlineWatch
    private let spawned: ContinuousClock.Instant
    private let state = Mutex(State())

    private struct State {
        /// Set once, when initialisation ends; reported in the first `REPORT` line.
        var initDuration: Duration?
        var initReported = false
        var timedOut = false
        var initTimedOut = false
        var stopped = false
    }

    init(
        id: String,
        key: InstanceKey,
        log: InstanceLog,
        memorySize: Int,
        child: ChildProcess,
        session: RuntimeSession,
        binding: any RuntimeAPIBinding,
        deadlines: DeadlineWatch,
        spawned: ContinuousClock.Instant
    ) {
        self.id = id
        self.key = key
        self.log = log
        self.memorySize = memorySize
        self.child = child
        self.session = session
        self.binding = binding
        self.deadlines = deadlines
        self.spawned = spawned
    }

    /// Whether the instance can take another invocation.
    var isUsable: Bool { state.withLock { !$0.stopped && !$0.timedOut } }

    /// Whether the runtime has asked for its first event.
    var isInitialized: Bool { state.withLock { $0.initDuration != nil } }

    /// Watches the process: when it ends, the Runtime API stops answering and waiters are released.
    /// The instance is unusable before the invocation it ran learns that it ended, so the pool
    /// never takes it back (closing the listener waits for its event loop).
    func watch() {
        Task {
            _ = await child.exit()
            state.withLock { $0.stopped = true }
            session.end()
            await binding.close()
        }
    }

    /// Waits for the runtime to finish initialising, at most `limit` (AWS's Init phase: 10 s).
    func initialize(within limit: Duration) async -> Readiness {
        let deadline = deadlines.arm(at: .now + limit) {
            self.state.withLock { $0.initTimedOut = true }
            self.child.kill()
        }
        let readiness = await session.ready()
        deadlines.disarm(deadline)
        if readiness == .ready {
            state.withLock { $0.initDuration = .now - spawned }
        }
        return readiness
    }

    /// A provisioned instance initialised before any invocation: like AWS, its REPORT lines
    /// never carry an `Init Duration` (that is for on-demand cold starts).
    func initializedAhead() {
        state.withLock { $0.initReported = true }
    }

    /// Runs one invocation to its end: the function's answer, or the error AWS would report
    /// when it times out, runs out of memory, crashes or answers with too much.
    func invoke(_ invocation: Invocation, timeout: Duration, captureTail: Bool) async -> InvocationResult {
        let requestID = invocation.requestID
        if captureTail { log.startCapture() }
        log.write("START RequestId: \(requestID) Version: \(key.version)")
        let started = ContinuousClock.now
        let deadline = deadlines.arm(at: started + timeout) {
            self.state.withLock { $0.timedOut = true }
            self.child.kill()
        }
        let outcome = await session.run(invocation)
        let duration = ContinuousClock.now - started
        deadlines.disarm(deadline)
        await child.drainOutput()

        var result: InvocationResult
        var status: String?
        switch outcome {
        case .response(let payload):
            result = InvocationResult(payload: payload)
        case .error(let body, _):
            // The function reported its own error: the environment is fine, the REPORT line plain.
            result = InvocationResult(payload: body, functionError: "Unhandled")
        case .responseTooLarge:
            result = InvocationResult(payload: ErrorPayload.responseTooLarge().json, functionError: "Unhandled")
            status = "error\tError Type: Function.ResponseSizeTooLarge"
        case .ended:
            let error = await failure(of: requestID, timeout: timeout)
            if error.type == "Sandbox.Timedout" {
                log.write("\(log.timestamp())\t\(requestID)\t\(ErrorPayload.timeoutText(timeout.seconds))")
                status = "timeout"
            } else {
                status = "error\tError Type: \(error.type)"
            }
            result = InvocationResult(payload: error.json, functionError: "Unhandled")
        }
        log.write("END RequestId: \(requestID)")
        log.write(report(requestID, duration: duration, status: status))
        if captureTail { result.logTail = log.endCapture() }
        return result
    }

    /// What ended the process before it was ready, worded as AWS reports it.
    func initFailure(requestID: String) async -> ErrorPayload {
        let exit = await child.exit()
        if state.withLock({ $0.initTimedOut }) {
            return ErrorPayload(type: "Sandbox.Timedout", message: "RequestId: \(requestID) Error: Init phase timed out after 10.00 seconds")
        }
        if child.usage.outOfMemory { return .outOfMemory(requestID: requestID) }
        return .exited(requestID: requestID, exit: exit)
    }

    /// What ended the process during an invocation, worded as AWS reports it.
    private func failure(of requestID: String, timeout: Duration) async -> ErrorPayload {
        if state.withLock({ $0.timedOut }) { return .timedOut(requestID: requestID, after: timeout.seconds) }
        let exit = await child.exit()
        if child.usage.outOfMemory { return .outOfMemory(requestID: requestID) }
        return .exited(requestID: requestID, exit: exit)
    }

    /// `REPORT RequestId: … Duration: … ms Billed Duration: … ms Memory Size: … MB Max Memory Used: … MB [Init Duration: … ms]`.
    private func report(_ requestID: String, duration: Duration, status: String?) -> String {
        let milliseconds = duration.seconds * 1000
        let peak = child.peakMemoryBytes.map { ($0 + 1_048_575) / 1_048_576 } ?? 0
        var line =
            "REPORT RequestId: \(requestID)\tDuration: \(milliseconds.twoDecimals) ms\t"
            + "Billed Duration: \(Int(milliseconds.rounded(.up))) ms\tMemory Size: \(memorySize) MB\tMax Memory Used: \(peak) MB"
        let initDuration = state.withLock { state -> Duration? in
            guard !state.initReported else { return nil }
            state.initReported = true
            return state.initDuration
        }
        if let initDuration { line += "\tInit Duration: \((initDuration.seconds * 1000).twoDecimals) ms" }
        if let status { line += "\tStatus: \(status)" }
        return line
    }

    /// The thread that serves the instance's Runtime API (`RuntimeAPIBinding.home`).
    var home: ObjectIdentifier { binding.home }

    /// Stops the process and its listener; waits until the process has ended.
    func stop() async {
        state.withLock { $0.stopped = true }
        child.kill()
        _ = await child.exit()
        session.end()
        await binding.close()
    }
}

/// What an invocation produced, ready for the Invoke response.
struct InvocationResult: Sendable {
    var payload: [UInt8]
    /// `Unhandled` when the function failed.
    var functionError: String?
    /// The last 4 KB of the invocation's log, when asked for.
    var logTail: [UInt8]?
}

/// The function version an instance runs: instances are never shared across versions or
/// across configuration changes.
struct InstanceKey: Hashable, Sendable {
    var functionName: String
    var version: String
    /// The configuration's `RevisionId`, which every update changes.
    var revision: String

    /// A function version, whatever the revision of its configuration.
    struct FunctionVersion: Hashable, Sendable {
        var functionName: String
        var version: String
    }

    var functionVersion: FunctionVersion { FunctionVersion(functionName: functionName, version: version) }
}

extension Double {
    /// `12.30`: two decimals, as AWS's REPORT lines print durations (without `String(format:)`'s cost on the hot path).
    var twoDecimals: String {
        let hundredths = Int((self * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension Duration {
    /// The duration in seconds, as a double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
