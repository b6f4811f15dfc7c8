import Foundation
import NimbusCore
import NimbusWire

/// Asynchronous invocation as AWS runs it: the event is queued durably and `Invoke` answers
/// 202; the queue runs it, retries a function error up to `MaximumRetryAttempts` (default 2)
/// after a delay that doubles, keeps retrying a throttled event without counting it, drops an
/// event older than `MaximumEventAgeInSeconds` (default 6 hours), and sends what failed to the
/// `OnFailure` destination and the dead-letter queue, what succeeded to `OnSuccess`.
extension LambdaService {
    /// AWS's defaults when no event invoke configuration says otherwise.
    static let defaultMaximumRetryAttempts = 2
    static let defaultMaximumEventAge = 21_600

    /// Queues an event for function `name` (qualified as the caller named it); durable on return.
    func enqueueEvent(id: String, name: FunctionName, payload: [UInt8]) async throws {
        let now = clock.now()
        try await asyncInvocations.events.enqueue(
            AsyncEventStore.Event(
                id: id,
                functionName: name.name,
                qualifier: name.qualifier ?? "$LATEST",
                payload: payload,
                receivedAt: now,
                attempts: 0,
                dueAt: now
            )
        )
        asyncInvocations.wake.signal()
        invoker.metrics.update(name.name) { $0.asyncEventsReceived += 1 }
    }

    /// Runs queued events as they fall due, until cancelled (the server's shutdown).
    package func runAsyncInvocations() async {
        let queue = asyncInvocations
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                do {
                    let running = queue.runningIDs
                    let room = AsyncInvocations.concurrency - running.count
                    if room > 0 {
                        for event in try await queue.events.due(by: clock.now(), excluding: running, limit: room) where queue.start(event.id) {
                            group.addTask {
                                await self.attempt(event)
                                queue.finish(event.id)
                            }
                        }
                    }
                    let next = try await queue.events.nextDue(excluding: queue.runningIDs)
                    let wait = min(max((next ?? .infinity) - clock.now(), 0), 60)
                    if wait > 0 || queue.runningIDs.count >= AsyncInvocations.concurrency {
                        await queue.wake.wait(upTo: .milliseconds(Int64(max(wait, 0.001) * 1000)))
                    }
                } catch {
                    // The store failed (it is closing, or the disk is full): try again shortly.
                    await queue.wake.wait(upTo: .seconds(1))
                }
            }
        }
    }

    /// One attempt at `event`, and what follows from its outcome.
    private func attempt(_ event: AsyncEventStore.Event) async {
        let events = asyncInvocations.events
        let name = FunctionName(name: event.functionName, qualifier: event.qualifier == "$LATEST" ? nil : event.qualifier)
        let now = clock.now()
        do {
            guard let record = try? await resolve(name, account: account, routing: true) else {
                // The function (or its version or alias) was deleted: AWS drops its events.
                try await events.remove(event.id)
                return
            }
            invoker.metrics.recordAsyncEventAge(event.functionName, milliseconds: max(now - event.receivedAt, 0) * 1000)
            let settings = try await invokeSettings(of: name)
            let maximumAge = Double(settings.maximumEventAgeInSeconds ?? Self.defaultMaximumEventAge)
            if now - event.receivedAt > maximumAge {
                await deliverFailure(event, record: record, condition: .eventAgeExceeded, result: nil, settings: settings)
                try await events.remove(event.id)
                return
            }
            let invocation = Invocation(
                requestID: event.id,
                payload: event.payload.isEmpty ? Array("{}".utf8) : event.payload,
                deadlineMilliseconds: 0,
                invokedFunctionARN: name.invokedARN(in: account),
                traceID: TraceID.make(now: now),
                clientContext: nil,
                cognitoIdentity: nil
            )
            let codeDirectory = try await codeDirectory(for: record)
            let result: InvocationResult
            do {
                result = try await invoker.invoke(invocation, function: record.configuration, codeDirectory: codeDirectory, captureTail: false)
            } catch {
                try await events.postpone(event.id, dueAt: clock.now() + AsyncInvocations.throttleDelay)
                return
            }
            let attempts = event.attempts + 1
            if result.functionError == nil {
                if let target = settings.destinationConfig?.onSuccess?.destination {
                    let destination = destinationRecord(event, record: record, condition: .success, attempts: attempts, result: result)
                    if await !deliver(destination.json, to: target, function: event.functionName, what: "OnSuccess destination") {
                        invoker.metrics.update(event.functionName) { $0.destinationDeliveryFailures += 1 }
                    }
                }
                try await events.remove(event.id)
            } else if attempts > settings.maximumRetryAttempts ?? Self.defaultMaximumRetryAttempts {
                var exhausted = event
                exhausted.attempts = attempts
                await deliverFailure(exhausted, record: record, condition: .retriesExhausted, result: result, settings: settings)
                try await events.remove(event.id)
            } else {
                try await events.retry(event.id, attempts: attempts, dueAt: clock.now() + asyncInvocations.retryDelay(after: attempts))
            }
        } catch {
            // The store failed mid-way; the event stays queued and runs again (at least once).
            try? await events.postpone(event.id, dueAt: clock.now() + AsyncInvocations.throttleDelay)
        }
    }

    /// The event invoke configuration that applies: the qualifier's own, else the function's.
    private func invokeSettings(of name: FunctionName) async throws -> LambdaShapes.FunctionEventInvokeConfig {
        let events = asyncInvocations.events
        if let qualifier = name.qualifier, let own = try await events.invokeConfig(of: name.name, qualifier: qualifier) { return own }
        return try await events.invokeConfig(of: name.name, qualifier: "") ?? LambdaShapes.FunctionEventInvokeConfig()
    }

    /// Sends a failed event to the `OnFailure` destination and the dead-letter queue (both, when both are set).
    private func deliverFailure(
        _ event: AsyncEventStore.Event,
        record: FunctionStore.Record,
        condition: DestinationRecord.Condition,
        result: InvocationResult?,
        settings: LambdaShapes.FunctionEventInvokeConfig
    ) async {
        invoker.metrics.update(event.functionName) { $0.asyncEventsDropped += 1 }
        if let target = settings.destinationConfig?.onFailure?.destination {
            let destination = destinationRecord(event, record: record, condition: condition, attempts: event.attempts, result: result)
            if await !deliver(destination.json, to: target, function: event.functionName, what: "OnFailure destination") {
                invoker.metrics.update(event.functionName) { $0.destinationDeliveryFailures += 1 }
            }
        }
        if let target = record.configuration.deadLetterConfig?.targetArn {
            // AWS's dead-letter messages carry the request id and the error as message attributes.
            var fields: [String: JSONValue] = ["RequestID": .string(event.id)]
            if let result, let type = ErrorPayload.type(in: result.payload) { fields["ErrorCode"] = .string(type) }
            if let result, let message = ErrorPayload.message(in: result.payload) { fields["ErrorMessage"] = .string(message) }
            let messageAttributes = JSONWriter.encode(.object(fields.mapValues { .object(["DataType": .string("String"), "StringValue": $0]) }))
            let delivered = await deliver(
                event.payload,
                to: target,
                function: event.functionName,
                what: "dead-letter queue",
                attributes: [DispatchEvent.messageAttributesKey: String(decoding: messageAttributes, as: UTF8.self)]
            )
            invoker.metrics.update(event.functionName) { counters in
                if delivered {
                    counters.deadLetterDelivered += 1
                } else {
                    counters.deadLetterErrors += 1
                }
            }
        }
    }

    private func destinationRecord(
        _ event: AsyncEventStore.Event,
        record: FunctionStore.Record,
        condition: DestinationRecord.Condition,
        attempts: Int,
        result: InvocationResult?
    ) -> DestinationRecord {
        let version = record.configuration.version ?? "$LATEST"
        return DestinationRecord(
            requestID: event.id,
            functionARN: "\(FunctionName(name: event.functionName, qualifier: nil).arn(in: account)):\(version)",
            condition: condition,
            attempts: attempts,
            timestamp: clock.now(),
            requestPayload: event.payload,
            executedVersion: result == nil ? nil : version,
            functionError: result?.functionError,
            responsePayload: result?.payload
        )
    }

    /// Delivers through the dispatcher; a target that cannot take it is reported in the
    /// function's log group, so the loss is visible. Returns whether the target took it.
    private func deliver(_ payload: [UInt8], to target: String, function: String, what: String, attributes: [String: String] = [:]) async -> Bool {
        var attributes = attributes
        attributes[Self.invocationTypeAttribute] = "Event"
        let source = ARN(
            partition: account.partition,
            service: "lambda",
            region: account.region,
            account: account.accountID,
            resource: "function:\(function)"
        )
        do {
            guard let arn = ARN(target) else { throw AWSError.invalidParameter("\(target) is not an ARN") }
            _ = try await dispatcher.deliver(DispatchEvent(payload: payload, attributes: attributes, source: source), to: arn)
            return true
        } catch {
            let reason = (error as? DispatchError)?.awsError.message ?? (error as? AWSError)?.message ?? "\(error)"
            invoker.reportDeliveryFailure(
                function: function,
                line: "Nimbus could not send an asynchronous invocation's record to its \(what) \(target): \(reason)"
            )
            return false
        }
    }
}
