import NimbusCore
import NimbusWire

/// A message move task: redrives a dead-letter queue's messages back to the queues they came
/// from (or to one destination), at a bounded rate, in the background.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
struct MoveTask: Sendable {
    let handle: String
    let sourceQueue: Int64
    let sourceArn: String
    let destinationArn: String?
    let maxPerSecond: Int?
    var status = "RUNNING"
    var moved: Int64 = 0
    let toMove: Int64
    /// Milliseconds since the epoch.
    let startedAt: Int64
    var failureReason: String?
    /// Moves earned but not yet made (rate limiting).
    var credit: Double = 0

    /// Messages per second when the caller set no rate ("system optimized").
    static let defaultRate = 2_500.0
}

extension QueueEngine {
    /// Puts back the tasks stored before a restart (most recent first); running ones go on.
    func loadMoveTasks(_ tasks: [MoveTask]) {
        moveTasks = tasks
    }

    /// Starts a move task from the dead-letter queue `source`; returns its handle and the write that stores it.
    /// - Throws: `InvalidParameterValue` when a task of this source is running.
    func startMoveTask(
        source: Snapshot,
        destinationArn: String?,
        maxPerSecond: Int?,
        at now: Double
    ) throws(AWSError) -> (handle: String, writes: [MessageWrite]) {
        guard !moveTasks.contains(where: { $0.sourceQueue == source.id && $0.status == "RUNNING" }) else {
            throw AWSError.invalidParameterValue(
                "There is already a task running. Only one active task is allowed for a source queue arn at a given time."
            )
        }
        let handle = Base64.encode(Array(#"{"taskId":"\#(RequestID.make())","sourceArn":"\#(source.arn)"}"#.utf8))
        let visible = queues[source.id]?.state.counts(at: now).visible ?? 0
        moveTasks.insert(
            MoveTask(
                handle: handle,
                sourceQueue: source.id,
                sourceArn: source.arn,
                destinationArn: destinationArn,
                maxPerSecond: maxPerSecond,
                toMove: Int64(visible),
                startedAt: Int64(now * 1000)
            ),
            at: 0
        )
        return (handle, [.moveTask(moveTasks[0])])
    }

    /// Cancels a running task; returns how many messages it moved and the write that stores its state.
    func cancelMoveTask(_ handle: String) throws(AWSError) -> (moved: Int64, writes: [MessageWrite]) {
        guard let index = moveTasks.firstIndex(where: { $0.handle == handle }) else {
            throw AWSError.resourceNotFound("The task handle \(handle) does not exist.")
        }
        guard moveTasks[index].status == "RUNNING" else {
            throw AWSError.unsupportedOperation("Only a running task can be cancelled; this one is \(moveTasks[index].status).")
        }
        moveTasks[index].status = "CANCELLED"
        return (moveTasks[index].moved, [.moveTask(moveTasks[index])])
    }

    /// The tasks of a source queue, most recent first.
    func moveTasks(sourceArn: String) -> [MoveTask] {
        moveTasks.filter { $0.sourceArn == sourceArn }
    }

    /// Moves what each running task may move in `interval` seconds; returns the writes.
    func runMoveTasks(at now: Double, interval: Double) -> [MessageWrite] {
        var writes: [MessageWrite] = []
        for index in moveTasks.indices where moveTasks[index].status == "RUNNING" {
            var task = moveTasks[index]
            let before = (task.status, task.moved)
            defer {
                moveTasks[index] = task
                if (task.status, task.moved) != before { writes.append(.moveTask(task)) }
            }
            guard queues[task.sourceQueue] != nil else {
                task.status = "FAILED"
                task.failureReason = "The source queue was deleted."
                continue
            }
            task.credit += (task.maxPerSecond.map(Double.init) ?? MoveTask.defaultRate) * interval
            let budget = Int(task.credit)
            task.credit -= Double(budget)
            guard budget > 0 else { continue }
            let taken = queues[task.sourceQueue]!.state.takeVisible(maximum: budget, at: now)
            for (position, var message) in taken.enumerated() {
                let target = (task.destinationArn ?? message.system.deadLetterSourceArn).flatMap { QueueName.key(fromARN: $0) }.flatMap { ids[$0] }
                guard let target, queues[target] != nil else {
                    for rest in taken[position...] { queues[task.sourceQueue]!.state.add(rest) }
                    task.status = "FAILED"
                    task.failureReason = "The destination queue of message \(message.messageID) does not exist."
                    break
                }
                message.receiveCount = 0
                message.receipt = 0
                message.visibleAt = 0
                message.receivedAt = 0
                message.firstReceivedAt = nil
                message.availableAt = now
                message.system.deadLetterSourceArn = nil
                queues[target]!.state.add(message)
                writes.append(.move(message, toQueue: target))
                wake(target)
                task.moved += 1
            }
            if task.status == "RUNNING", taken.count < budget { task.status = "COMPLETED" }
        }
        return writes
    }
}
