import Foundation
package import Logging
package import NimbusCore
import Synchronization

/// Runs invocations on warm instances: takes one from the pool or launches and initialises
/// a new one, runs the event, and gives the instance back (or stops it when it failed).
package final class FunctionInvoker: Sendable {
    let pool = InstancePool()
    let launcher: InstanceLauncher
    let shipper: LogShipper
    private let logger: Logger
    /// Asynchronous (`Event`) invocations still running, so shutdown can wait for them.
    private let background = Mutex<[UUID: Task<Void, Never>]>([:])

    /// AWS's Init phase limit.
    static let initLimit: Duration = .seconds(10)

    package init(settings: InstanceSettings, listener: any RuntimeAPIListener, logSink: any LogSink, logger: Logger, clock: any WallClock) {
        shipper = LogShipper(sink: logSink, logger: logger)
        launcher = InstanceLauncher(settings: settings, listener: listener, shipper: shipper, clock: clock)
        self.logger = logger
    }

    /// Tells instances started from now on where the edge listens (`AWS_ENDPOINT_URL`).
    package func setEndpoint(_ url: String) {
        launcher.endpoint.withLock { $0 = url }
    }

    /// Runs `invocation` on an instance of `function` whose code is unpacked in `codeDirectory`.
    func invoke(
        _ invocation: Invocation,
        function: LambdaShapes.FunctionConfiguration,
        codeDirectory: String,
        captureTail: Bool
    ) async -> InvocationResult {
        let key = InstanceKey(functionName: function.functionName ?? "", version: function.version ?? "$LATEST", revision: function.revisionId ?? "")
        let (warm, outdated) = await pool.take(key)
        for instance in outdated { await instance.stop() }
        let instance: Instance
        if let warm {
            instance = warm
        } else {
            do {
                instance = try await launcher.launch(function, key: key, codeDirectory: codeDirectory)
            } catch {
                let payload = ErrorPayload.invalidEntrypoint(requestID: invocation.requestID, detail: error.detail)
                return InvocationResult(payload: ErrorPayload(type: error.type, message: payload.message).json, functionError: "Unhandled")
            }
            await pool.admit(instance)
            if let failure = await initialize(instance, requestID: invocation.requestID) {
                _ = await pool.release(instance)
                return failure
            }
        }
        let timeout = function.timeout ?? 3
        var invocation = invocation
        invocation.deadlineMilliseconds = Int64((launcher.clock.now() + Double(timeout)) * 1000)
        let result = await instance.invoke(invocation, timeout: .seconds(timeout), captureTail: captureTail)
        if await !pool.release(instance) { await instance.stop() }
        return result
    }

    /// Runs `invocation` in the background (`InvocationType: Event`). Nimbus keeps these in
    /// memory for now: the durable queue with retries comes with asynchronous invocation.
    func start(_ invocation: Invocation, function: LambdaShapes.FunctionConfiguration, codeDirectory: String) {
        let id = UUID()
        background.withLock { running in
            running[id] = Task {
                _ = await self.invoke(invocation, function: function, codeDirectory: codeDirectory, captureTail: false)
                self.background.withLock { $0[id] = nil }
            }
        }
    }

    /// Waits for a new instance's runtime to ask for work; the error to answer with when it does not.
    private func initialize(_ instance: Instance, requestID: String) async -> InvocationResult? {
        switch await instance.initialize(within: Self.initLimit) {
        case .ready:
            return nil
        case .initError(let body, let type):
            await instance.stop()
            instance.log.write("INIT_REPORT Init Duration: - ms\tPhase: init\tStatus: error\tError Type: \(type)")
            return InvocationResult(payload: body, functionError: "Unhandled")
        case .ended:
            await instance.stop()
            return InvocationResult(payload: await instance.initFailure(requestID: requestID).json, functionError: "Unhandled")
        }
    }

    /// Finds the interpreters instances run on, so the first cold start does not pay for it.
    package func prepare() async {
        for name in ["python3", "node"] { _ = await launcher.interpreters.resolve(name) }
    }

    /// Stops instances idle for longer than the idle timeout, until cancelled.
    package func reapIdleInstances() async {
        let limit = launcher.settings.idleTimeout
        let interval = min(limit / 4, .seconds(5))
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            for instance in await pool.expired(idleFor: limit) {
                logger.debug("stopping idle instance", metadata: ["function": "\(instance.key.functionName)", "instance": "\(instance.id)"])
                await instance.stop()
            }
        }
    }

    /// Ships function logs until cancelled.
    package func shipLogs() async {
        await shipper.run()
    }

    /// Stops a deleted function's idle instances.
    func retire(functionName: String) async {
        for instance in await pool.retire(functionName: functionName) { await instance.stop() }
    }

    /// Stops every instance and writes the remaining logs (server shutdown).
    package func shutdown() async {
        for task in background.withLock({ Array($0.values) }) { await task.value }
        await withTaskGroup(of: Void.self) { group in
            for instance in await pool.drain() { group.addTask { await instance.stop() } }
        }
        await shipper.flush()
    }
}
