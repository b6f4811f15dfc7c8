/// A service whose resources a poller reads records from (SQS queues; later Kinesis and
/// DynamoDB streams): how Lambda's event source mappings consume them without importing the
/// service. Records a poll hands out stay leased (an SQS message invisible) until they are
/// acknowledged, or their lease runs out and they can be polled again.
package protocol EventSource: Sendable {
    /// Up to `maximum` records of `source`, waiting up to `wait` for the first one.
    /// - Throws: the service's `AWSError` (e.g. the queue does not exist).
    func poll(_ source: ARN, maximum: Int, wait: Duration) async throws -> [SourceRecord]

    /// Removes records that were processed; a receipt that is no longer valid is skipped.
    func acknowledge(_ source: ARN, receipts: [String]) async throws
}

/// One record as a function receives it in its event's `Records`, with what acknowledges it.
package struct SourceRecord: Sendable, Hashable {
    /// The record's id (an SQS `messageId`): what a partial batch failure names.
    package var id: String
    /// What `acknowledge` takes (an SQS receipt handle).
    package var receipt: String
    /// The record in the shape Lambda passes it (AWS's SQS event record), as JSON.
    package var json: [UInt8]

    package init(id: String, receipt: String, json: [UInt8]) {
        self.id = id
        self.receipt = receipt
        self.json = json
    }
}

/// Finds the event source that owns an ARN.
package protocol EventSources: Sendable {
    func source(for arn: ARN) -> (any EventSource)?
}
