import NimbusCore
import NimbusWire

/// Runs the enabled event source mappings: for each, a few workers that long-poll the queue,
/// gather a batch (up to `BatchSize`, waiting at most `MaximumBatchingWindowInSeconds` for
/// more), invoke the function synchronously with AWS's SQS event, and delete what succeeded:
/// the whole batch, or with `ReportBatchItemFailures` all but the `batchItemFailures` the
/// function named. Failed messages stay in the queue and come back after its visibility
/// timeout, so its redrive policy applies.
extension LambdaService {
    /// Keeps one set of workers per enabled mapping until cancelled (the server's shutdown).
    package func runEventSourceMappings() async {
        var running: [String: (configuration: LambdaShapes.EventSourceMappingConfiguration, task: Task<Void, Never>)] = [:]
        while !Task.isCancelled {
            let wanted = ((try? await functions.mappings()) ?? []).filter { $0.state == "Enabled" }
            let wantedIDs = Set(wanted.compactMap(\.uuid))
            for (uuid, entry) in running where !wantedIDs.contains(uuid) || wanted.first(where: { $0.uuid == uuid }) != entry.configuration {
                entry.task.cancel()
                running[uuid] = nil
            }
            for mapping in wanted {
                guard let uuid = mapping.uuid, running[uuid] == nil else { continue }
                running[uuid] = (mapping, Task { await self.poll(mapping) })
            }
            await pollers.changes.wait(upTo: .seconds(5))
        }
        for entry in running.values { entry.task.cancel() }
        for entry in running.values { await entry.task.value }
    }

    /// One mapping's workers.
    private func poll(_ mapping: LambdaShapes.EventSourceMappingConfiguration) async {
        guard let uuid = mapping.uuid, let sourceText = mapping.eventSourceArn, let source = ARN(sourceText),
            let functionText = mapping.functionArn, let name = try? FunctionName(functionText, account: account)
        else { return }
        guard let reader = eventSources?.source(for: source) else {
            pollers.record("PROBLEM: Nimbus has no event source for \(sourceText)", of: uuid)
            return
        }
        // Start with a few workers; add one each second while every batch comes back full (a
        // backlog), up to the mapping's maximum concurrency or the function's reserved one;
        // extra workers leave again when the queue runs dry.
        let baseline = min(mapping.scalingConfig?.maximumConcurrency ?? EventSourcePollers.defaultConcurrency, EventSourcePollers.defaultConcurrency)
        let ceiling = mapping.scalingConfig?.maximumConcurrency ?? invoker.limiter.reserved(for: name.name) ?? EventSourcePollers.maximumConcurrency
        let scale = WorkerScale(baseline: baseline)
        // Checked when the mapping was saved.
        let filter = (try? EventFilter(mapping.filterCriteria)) ?? .none
        let full = min(mapping.batchSize ?? 10, 10)
        await withDiscardingTaskGroup { group in
            let worker: @Sendable () async -> Void = {
                while !Task.isCancelled {
                    do {
                        let batch = try await self.gather(from: reader, source: source, mapping: mapping)
                        guard !batch.isEmpty else {
                            if scale.leaveIfIdle() { return }
                            continue
                        }
                        scale.record(full: batch.count >= full)
                        let admitted = try await self.dropFiltered(batch, by: filter, from: reader, source: source)
                        guard !admitted.isEmpty else { continue }
                        await self.process(admitted, from: reader, source: source, function: name, mapping: mapping)
                    } catch {
                        self.pollers.record("PROBLEM: \((error as? AWSError)?.message ?? "\(error)")", of: uuid)
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                scale.leave()
            }
            for _ in 0..<baseline where scale.join(ceiling: ceiling) { group.addTask(operation: worker) }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if scale.backlogged(), scale.join(ceiling: ceiling) { group.addTask(operation: worker) }
            }
        }
    }

    /// Up to `BatchSize` records: a long poll for the first, then more until the batch is full
    /// or the batching window has passed.
    private func gather(
        from reader: any EventSource,
        source: ARN,
        mapping: LambdaShapes.EventSourceMappingConfiguration
    ) async throws -> [SourceRecord] {
        let size = mapping.batchSize ?? 10
        var batch = try await reader.poll(source, maximum: min(size, 10), wait: .seconds(20))
        guard !batch.isEmpty else { return [] }
        let window = Double(mapping.maximumBatchingWindowInSeconds ?? 0)
        let deadline = clock.now() + window
        while batch.count < size, !Task.isCancelled {
            let remaining = deadline - clock.now()
            guard remaining > 0 else { break }
            batch += try await reader.poll(source, maximum: min(size - batch.count, 10), wait: .milliseconds(Int64(remaining * 1000)))
        }
        return batch
    }

    /// The records the mapping's filter admits; the others are deleted from the source unseen.
    private func dropFiltered(
        _ batch: [SourceRecord],
        by filter: EventFilter,
        from reader: any EventSource,
        source: ARN
    ) async throws -> [SourceRecord] {
        guard !filter.passesEverything else { return batch }
        var admitted: [SourceRecord] = []
        var dropped: [String] = []
        for record in batch {
            if filter.admits(record.json) { admitted.append(record) } else { dropped.append(record.receipt) }
        }
        if !dropped.isEmpty { try await reader.acknowledge(source, receipts: dropped) }
        return admitted
    }

    /// Invokes the function with `batch` and deletes what it processed.
    private func process(
        _ batch: [SourceRecord],
        from reader: any EventSource,
        source: ARN,
        function name: FunctionName,
        mapping: LambdaShapes.EventSourceMappingConfiguration
    ) async {
        let uuid = mapping.uuid ?? ""
        var payload: [UInt8] = Array(#"{"Records":["#.utf8)
        for (index, record) in batch.enumerated() {
            if index > 0 { payload.append(UInt8(ascii: ",")) }
            payload += record.json
        }
        payload += Array("]}".utf8)
        while !Task.isCancelled {
            do {
                let record = try await resolve(name, account: account, routing: true)
                let invocation = Invocation(
                    requestID: RequestID.make(),
                    payload: payload,
                    deadlineMilliseconds: 0,
                    invokedFunctionARN: name.invokedARN(in: account),
                    traceID: TraceID.make(now: clock.now()),
                    clientContext: nil,
                    cognitoIdentity: nil
                )
                let result = try await invoker.invoke(
                    invocation,
                    function: record.configuration,
                    codeDirectory: try await codeDirectory(for: record),
                    captureTail: false
                )
                let done = Self.processed(
                    batch,
                    result: result,
                    reportsItemFailures: mapping.functionResponseTypes?.contains("ReportBatchItemFailures") == true
                )
                if !done.isEmpty { try await reader.acknowledge(source, receipts: done.map(\.receipt)) }
                pollers.record(result.functionError == nil ? "OK" : "PROBLEM: Function call failed", of: uuid)
                return
            } catch is ConcurrencyLimiter.RefusalError {
                // Throttled: keep the batch (its messages stay invisible) and try again shortly.
                try? await Task.sleep(for: .milliseconds(200))
            } catch {
                pollers.record("PROBLEM: \((error as? AWSError)?.message ?? "\(error)")", of: uuid)
                return
            }
        }
    }

    /// The records to delete: none when the function failed; with `ReportBatchItemFailures`,
    /// all but the ones in `batchItemFailures` (a response that is not such a list fails them all).
    static func processed(_ batch: [SourceRecord], result: InvocationResult, reportsItemFailures: Bool) -> [SourceRecord] {
        guard result.functionError == nil else { return [] }
        guard reportsItemFailures else { return batch }
        guard let response = try? JSONParser.parse(result.payload) else { return [] }
        guard case .object(let members) = response, let failures = members["batchItemFailures"] else {
            // `null`, `{}` or an object without failures: everything succeeded.
            if case .object = response { return batch }
            return response == .null ? batch : []
        }
        guard case .array(let items) = failures else { return failures == .null ? batch : [] }
        var failed: Set<String> = []
        for item in items {
            guard case .object(let fields) = item, case .string(let id)? = fields["itemIdentifier"], !id.isEmpty,
                batch.contains(where: { $0.id == id })
            else { return [] }
            failed.insert(id)
        }
        return batch.filter { !failed.contains($0.id) }
    }
}
