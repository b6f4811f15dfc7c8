import Foundation
package import Logging
package import NimbusCore
import Synchronization

/// Runs invocations on warm instances: takes one from the pool or launches and initialises
/// a new one, runs the event, and gives the instance back (or stops it when it failed).
package final class FunctionInvoker: Sendable {
    let pool = InstancePool()
    let launcher: InstanceLauncher
    /// Throttles invocations over the account's or a function's concurrency.
    let limiter: ConcurrencyLimiter
    /// Invocations, errors, throttles and durations per function.
    let metrics = FunctionMetrics()
    /// Instances start a few at a time.
    let launches = LaunchGate()
    let shipper: LogShipper
    private let logger: Logger

    /// AWS's Init phase limit.
    static let initLimit: Duration = .seconds(10)

    package init(settings: InstanceSettings, listener: any RuntimeAPIListener, logSink: any LogSink, logger: Logger, clock: any WallClock) {
        shipper = LogShipper(sink: logSink, logger: logger)
        launcher = InstanceLauncher(settings: settings, listener: listener, shipper: shipper, clock: clock, logger: logger)
        limiter = ConcurrencyLimiter(accountLimit: settings.accountConcurrency)
        self.logger = logger
    }

    /// Tells instances started from now on where the edge listens (`AWS_ENDPOINT_URL`).
    package func setEndpoint(_ url: String) {
        launcher.endpoint.withLock { $0 = url }
    }

    /// Runs `invocation` on an instance of `function` whose code is unpacked in `codeDirectory`.
    /// - Throws: the refusal when the function or the account is at its concurrency limit.
    func invoke(
        _ invocation: Invocation,
        function: LambdaShapes.FunctionConfiguration,
        codeDirectory: String,
        captureTail: Bool
    ) async throws(ConcurrencyLimiter.RefusalError) -> InvocationResult {
        let name = function.functionName ?? ""
        let permit: ConcurrencyLimiter.Permit
        do {
            permit = try limiter.acquire(name).get()
        } catch {
            metrics.update(name) { $0.throttles += 1 }
            throw error
        }
        defer { limiter.release(permit) }
        let started = ContinuousClock.now
        let result = await run(invocation, function: function, codeDirectory: codeDirectory, captureTail: captureTail)
        metrics.recordInvocation(name, milliseconds: (ContinuousClock.now - started).seconds * 1000, failed: result.functionError != nil)
        return result
    }

    private func run(
        _ invocation: Invocation,
        function: LambdaShapes.FunctionConfiguration,
        codeDirectory: String,
        captureTail: Bool
    ) async -> InvocationResult {
        let key = InstanceKey(functionName: function.functionName ?? "", version: function.version ?? "$LATEST", revision: function.revisionId ?? "")
        var (warm, outdated) = await pool.take(key, near: launcher.listener.currentHome())
        for instance in outdated { await instance.stop() }
        if warm == nil {
            // Wait for a launch slot; an instance another invocation released meanwhile will do.
            await launches.enter()
            warm = await pool.take(key).instance
            if warm != nil { launches.leave() }
        }
        let instance: Instance
        var launched = false
        if let warm {
            instance = warm
        } else {
            launched = true
            defer { launches.leave() }
            do {
                instance = try await launcher.launch(function, key: key, codeDirectory: codeDirectory)
            } catch {
                let payload = ErrorPayload.launchFailure(error, requestID: invocation.requestID)
                return InvocationResult(payload: payload.json, functionError: "Unhandled")
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
        if launched { launcher.keepStandbys(for: function) }
        return result
    }

    /// Starts and initialises instances of `function` until `count` of them wait idle, and keeps
    /// that many warm from then on (provisioned concurrency). Returns how many are ready, and
    /// the error of the first instance that failed to initialise, if one did.
    func provision(_ count: Int, function: LambdaShapes.FunctionConfiguration, codeDirectory: String) async -> (ready: Int, failure: String?) {
        let key = InstanceKey(functionName: function.functionName ?? "", version: function.version ?? "$LATEST", revision: function.revisionId ?? "")
        for instance in await pool.use(key) { await instance.stop() }
        await pool.keepWarm(count, of: key.functionVersion)
        let missing = max(count - (await pool.idleCount(of: key)), 0)
        let failures = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<missing {
                group.addTask {
                    await self.launches.enter()
                    defer { self.launches.leave() }
                    let instance: Instance
                    do throws(LaunchError) {
                        instance = try await self.launcher.launch(function, key: key, codeDirectory: codeDirectory)
                    } catch {
                        return error.detail
                    }
                    await self.pool.admit(instance)
                    if let failure = await self.initialize(instance, requestID: "provisioned") {
                        _ = await self.pool.release(instance)
                        return String(decoding: failure.payload, as: UTF8.self)
                    }
                    instance.initializedAhead()
                    if await !self.pool.release(instance) { await instance.stop() }
                    return nil
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        return (min(await pool.idleCount(of: key), count), failures.first)
    }

    /// Lets a version's provisioned instances expire like any others.
    func unprovision(functionName: String, version: String) async {
        await pool.keepWarm(0, of: .init(functionName: functionName, version: version))
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
    /// Reports a failure of the platform on a function's behalf (a destination that refused a
    /// record) in the function's log group and the server's log.
    func reportDeliveryFailure(function: String, line: String) {
        logger.warning("\(line)")
        let now = Int64((launcher.clock.now() * 1000).rounded(.down))
        shipper.append(NimbusCore.LogEvent(timestamp: now, message: line), group: "/aws/lambda/\(function)", stream: "nimbus/async-delivery")
    }

    package func shipLogs() async {
        await shipper.run()
    }

    /// Stops the idle instances of a deleted function, or of one deleted version of it.
    func retire(functionName: String, version: String? = nil) async {
        for instance in await pool.retire(functionName: functionName, version: version) { await instance.stop() }
    }

    /// Stops every instance and writes the remaining logs (server shutdown).
    package func shutdown() async {
        await launcher.standbys.disable(because: "the server is shutting down")
        await withTaskGroup(of: Void.self) { group in
            for instance in await pool.drain() { group.addTask { await instance.stop() } }
        }
        launcher.deadlines.stop()
        await shipper.flush()
    }
}
