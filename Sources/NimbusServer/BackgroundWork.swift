import Logging
import NimbusLambda
import NimbusS3
import NimbusSNS
import NimbusSQS
import NimbusStore
import ServiceLifecycle

// The services' background work, each run as one service of the server's `ServiceGroup`.

/// Keeps the store open while the server runs and closes it last on shutdown
/// (services shut down in reverse order, so the edge has stopped by then).
struct StoreCloser: Service {
    let store: any SQLStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
        logger.info("store closed", metadata: ["path": "\(store.location)"])
    }
}

/// Lambda's background work while the server runs (queued asynchronous invocations run, idle
/// instances stopped, logs shipped); on shutdown, after the edge has stopped, every instance is
/// stopped and the last logs written. Queued events stay queued for the next start.
struct FunctionWorkers: Service {
    let invoker: FunctionInvoker
    let lambda: LambdaService
    let logger: Logger

    func run() async throws {
        await invoker.prepare()
        await lambda.restoreProvisionedConcurrency()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await lambda.runAsyncInvocations() }
            group.addTask { await lambda.runEventSourceMappings() }
            group.addTask { await invoker.reapIdleInstances() }
            group.addTask { await invoker.shipLogs() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await invoker.shutdown()
        logger.info("function instances stopped")
    }
}

/// SQS's background work while the server runs: retention sweeps and message move tasks.
struct QueueWorkers: Service {
    let sqs: SQSService

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await sqs.runBackgroundWork() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}

/// SNS's background work while the server runs: delivering published messages from the outbox.
/// On shutdown it stops between deliveries; what is pending stays in the store for the next start.
struct TopicDeliveries: Service {
    let sns: SNSService
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await sns.runDeliveries() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("sns deliveries stopped")
    }
}

/// S3's background work while the server runs: delivering bucket notifications from the outbox
/// and applying lifecycle rules.
/// On shutdown it stops between deliveries; what is pending stays in the store for the next start.
struct BucketNotifications: Service {
    let s3: S3Service
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await s3.runBackgroundWork() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("s3 notifications stopped")
    }
}
