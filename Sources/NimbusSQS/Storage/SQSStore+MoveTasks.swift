import NimbusStore

/// Message move tasks survive a restart: a running task goes on where it stopped, and
/// `ListMessageMoveTasks` still reports finished ones. A task's row is written in the same
/// transaction as the messages it moved, so its count never disagrees with the queues.
extension SQSStore {
    static let moveTaskMigration = Migration(id: "sqs-0002-move-tasks") { _ in
        [
            """
            CREATE TABLE sqs_move_tasks (
                handle TEXT PRIMARY KEY,
                source_queue BIGINT NOT NULL,
                source_arn TEXT NOT NULL,
                destination_arn TEXT,
                max_per_second INTEGER,
                status TEXT NOT NULL,
                moved BIGINT NOT NULL,
                to_move BIGINT NOT NULL,
                started_at BIGINT NOT NULL,
                failure_reason TEXT
            )
            """
        ]
    }

    /// The statement that records a task's current state.
    static func saveStatement(_ task: MoveTask) -> SQL {
        """
        INSERT INTO sqs_move_tasks
            (handle, source_queue, source_arn, destination_arn, max_per_second, status, moved, to_move, started_at, failure_reason)
        VALUES (\(task.handle), \(task.sourceQueue), \(task.sourceArn), \(task.destinationArn), \(task.maxPerSecond.map(Int64.init)),
            \(task.status), \(task.moved), \(task.toMove), \(task.startedAt), \(task.failureReason))
        ON CONFLICT (handle) DO UPDATE SET status = excluded.status, moved = excluded.moved, failure_reason = excluded.failure_reason
        """
    }

    /// Every stored task, most recent first.
    func loadMoveTasks() async throws -> [MoveTask] {
        try await store.query("SELECT * FROM sqs_move_tasks ORDER BY started_at DESC, handle").compactMap { row in
            guard let handle = row.string("handle"), let source = row.int("source_queue"), let arn = row.string("source_arn") else { return nil }
            return MoveTask(
                handle: handle,
                sourceQueue: source,
                sourceArn: arn,
                destinationArn: row.string("destination_arn"),
                maxPerSecond: row.int("max_per_second").map(Int.init),
                status: row.string("status") ?? "FAILED",
                moved: row.int("moved") ?? 0,
                toMove: row.int("to_move") ?? 0,
                startedAt: row.int("started_at") ?? 0,
                failureReason: row.string("failure_reason")
            )
        }
    }
}
