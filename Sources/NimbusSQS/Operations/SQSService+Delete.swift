import NimbusCore
package import NimbusWire

extension SQSService {
    /// Deletes a received message. A handle from an earlier receive of a message received
    /// again since succeeds without deleting it, as AWS documents; a forged one fails.
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
    package func deleteMessage(_ input: SQSShapes.DeleteMessageRequest, context: RequestContext) async throws {
        let queue = try await queue(url: input.queueUrl)
        let (_, writes) = try await engine.delete(try handle(input.receiptHandle, of: queue))
        try await commit(writes)
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
    package func deleteMessageBatch(
        _ input: SQSShapes.DeleteMessageBatchRequest,
        context: RequestContext
    ) async throws -> SQSShapes.DeleteMessageBatchResult {
        try Self.checkBatch(input.entries.map(\.id), entryName: "DeleteMessageBatchRequestEntry")
        let queue = try await queue(url: input.queueUrl)
        var failed: [SQSShapes.BatchResultErrorEntry] = []
        var valid: [(id: String, handle: ReceiptHandle)] = []
        for entry in input.entries {
            do {
                valid.append((entry.id, try handle(entry.receiptHandle, of: queue)))
            } catch {
                failed.append(Self.failure(entry.id, error))
            }
        }
        guard !valid.isEmpty else { return .init(failed: failed, successful: []) }
        // One step in the engine for the whole batch: every deletion succeeds, or the queue is
        // gone and each fails.
        let writes: [MessageWrite]
        do {
            writes = try await engine.delete(valid.map(\.handle), queue: queue.id).1
        } catch {
            return .init(failed: failed + valid.map { Self.failure($0.id, error) }, successful: [])
        }
        try await commit(writes)
        return .init(failed: failed, successful: valid.map { .init(id: $0.id) })
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
    package func changeMessageVisibility(_ input: SQSShapes.ChangeMessageVisibilityRequest, context: RequestContext) async throws {
        let queue = try await queue(url: input.queueUrl)
        try await commit(try await changeVisibility(input.receiptHandle, timeout: input.visibilityTimeout, queue: queue))
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
    package func changeMessageVisibilityBatch(
        _ input: SQSShapes.ChangeMessageVisibilityBatchRequest,
        context: RequestContext
    ) async throws -> SQSShapes.ChangeMessageVisibilityBatchResult {
        try Self.checkBatch(input.entries.map(\.id), entryName: "ChangeMessageVisibilityBatchRequestEntry")
        let queue = try await queue(url: input.queueUrl)
        var writes: [MessageWrite] = []
        var successful: [SQSShapes.ChangeMessageVisibilityBatchResultEntry] = []
        var failed: [SQSShapes.BatchResultErrorEntry] = []
        for entry in input.entries {
            do {
                guard let timeout = entry.visibilityTimeout else { throw AWSError.missingParameter("VisibilityTimeout") }
                writes += try await changeVisibility(entry.receiptHandle, timeout: timeout, queue: queue)
                successful.append(.init(id: entry.id))
            } catch {
                failed.append(Self.failure(entry.id, error))
            }
        }
        try await commit(writes)
        return .init(failed: failed, successful: successful)
    }

    private func changeVisibility(_ text: String, timeout: Int, queue: QueueEngine.Snapshot) async throws -> [MessageWrite] {
        guard (0...43_200).contains(timeout) else {
            throw AWSError.invalidParameter(
                "VisibilityTimeout",
                value: "\(timeout)",
                reason: "VisibilityTimeout must be an integer between 0 and 43200"
            )
        }
        let (outcome, writes) = try await engine.changeVisibility(try handle(text, of: queue), timeout: timeout, at: clock.now())
        switch outcome {
        case .changed: return writes
        case .expired: throw AWSError.receiptHandleIsInvalid(text, reason: "The receipt handle has expired")
        case .notInFlight: throw AWSError.messageNotInflight()
        case .beyondMaximum:
            throw AWSError.invalidParameter(
                "VisibilityTimeout",
                value: "\(timeout)",
                reason: "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]"
            )
        }
    }

    /// The receipt handle `text` names, if this server issued it for `queue`.
    /// - Throws: `ReceiptHandleIsInvalid` otherwise.
    func handle(_ text: String, of queue: QueueEngine.Snapshot) throws(AWSError) -> ReceiptHandle {
        guard let handle = signer.decode(text), handle.queue == queue.id else { throw AWSError.receiptHandleIsInvalid(text) }
        return handle
    }
}
