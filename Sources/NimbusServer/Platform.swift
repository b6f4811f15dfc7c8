import Foundation
package import Hummingbird
package import Logging
import NIOPosix
import NimbusAPIGateway
package import NimbusCore
package import NimbusLambda
import NimbusLogs
package import NimbusS3
package import NimbusSNS
import NimbusSQS
import NimbusSTS
package import NimbusStore
import NimbusStoreSQLite
package import NimbusWire
import ServiceLifecycle
import UnixSignals

/// The composition root: the store, the services, the dispatcher and the edge, built from
/// a `ServerConfiguration`. `nimbus serve` runs one; tests build one on a temporary folder.
package struct Platform: Sendable {
    package let configuration: ServerConfiguration
    package let store: any SQLStore
    package let blobs: any BlobStore
    package let dispatcher: DispatchRegistry
    package let pipeline: EdgePipeline
    package let authMode: AuthMode
    /// Runs function instances; its background work runs as a service of the server.
    package let invoker: FunctionInvoker
    /// Lambda, whose asynchronous invocations run in the background while the server runs.
    package let lambda: LambdaService
    /// Amazon SQS; its background work (retention, message move tasks) runs as a service of the server.
    let sqs: SQSService
    /// Where services write log lines (function output, access logs): the CloudWatch Logs
    /// service, so that what is written is readable through the Logs API at once.
    package let logSink: any LogSink
    /// SNS; its deliveries run as a service of the server.
    package let sns: SNSService
    /// API Gateway HTTP APIs; the edge hands it the requests addressed to an API.
    let apigateway: APIGatewayService
    /// Amazon S3; its notification deliveries run as a service of the server.
    package let s3: S3Service

    /// Opens the data directory (creating it), migrates the store and builds the services.
    /// - Throws: `ConfigurationError` for an unusable configuration, `StoreError` if the store cannot open.
    package static func open(
        _ configuration: ServerConfiguration,
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "nimbus")
    ) async throws -> Platform {
        let authMode = try AuthPolicy.mode(for: configuration)
        let dataDirectory = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError("cannot create data directory \(dataDirectory): \(error.localizedDescription)")
        }
        let store = try SQLiteStore(path: dataDirectory + "/nimbus.sqlite")
        try await store.migrate(PlatformMigrations.all)
        try await PlatformMigrations.recordStart(on: store, account: configuration.account, now: clock.now())
        let blobs = try FileBlobStore(root: dataDirectory + "/blobs")
        let dispatcher = DispatchRegistry()
        let logs = try await LogsService(store: store, clock: clock)
        let invoker = FunctionInvoker(
            settings: try instanceSettings(configuration, authMode: authMode),
            listener: RuntimeAPIServer(),
            logSink: logs,
            logger: logger,
            clock: clock
        )
        let s3 = try await S3Service(store: store, blobs: blobs, dispatcher: dispatcher, account: configuration.account, clock: clock, logger: logger)
        let lambda = try await LambdaService(
            store: store,
            blobs: blobs,
            codeRoot: dataDirectory + "/lambda/code",
            invoker: invoker,
            dispatcher: dispatcher,
            eventSources: dispatcher,
            objects: s3,
            account: configuration.account,
            asyncRetryBaseDelay: configuration.asyncRetryBaseDelay,
            clock: clock
        )
        dispatcher.register(lambda, for: "lambda")
        let sqs = try await SQSService(store: store, account: configuration.account, clock: clock)
        dispatcher.register(sqs, for: "sqs")
        dispatcher.register(source: sqs, for: "sqs")
        let sns = try await SNSService(store: store, dispatcher: dispatcher, account: configuration.account, clock: clock, logger: logger)
        dispatcher.register(sns, for: "sns")
        let apigateway = try await APIGatewayService(
            store: store,
            dispatcher: dispatcher,
            forwarder: GatewayForwarder(),
            logSink: logs,
            account: configuration.account,
            clock: clock
        )
        let handlers: [any ServiceHandler] = [apigateway, lambda, logs, s3, sns, sqs, STSService()]
        let pipeline = EdgePipeline(
            router: OperationRouter(),
            authenticator: RequestAuthenticator(mode: authMode, clock: clock),
            handlers: handlers,
            account: configuration.account
        )
        return Platform(
            configuration: configuration,
            store: store,
            blobs: blobs,
            dispatcher: dispatcher,
            pipeline: pipeline,
            authMode: authMode,
            invoker: invoker,
            lambda: lambda,
            sqs: sqs,
            logSink: logs,
            sns: sns,
            apigateway: apigateway,
            s3: s3
        )
    }

    /// Where instances run and what they may see: a private `/tmp` under the data directory,
    /// which (with the rest of it) is hidden from them; the credentials they sign with.
    private static func instanceSettings(_ configuration: ServerConfiguration, authMode: AuthMode) throws -> InstanceSettings {
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory).standardizedFileURL.path
        let temporaryRoot = dataDirectory + "/lambda/tmp"
        try? FileManager.default.removeItem(atPath: temporaryRoot)
        try FileManager.default.createDirectory(atPath: temporaryRoot, withIntermediateDirectories: true)
        let credentials: FunctionCredentials =
            switch authMode {
            case .open: FunctionCredentials(accessKeyID: "ASIANIMBUSFUNCTION00", secretAccessKey: "nimbus-function-secret")
            case .verify(let keys):
                keys.values.sorted { $0.accessKeyID < $1.accessKeyID }.first.map {
                    FunctionCredentials(accessKeyID: $0.accessKeyID, secretAccessKey: $0.secretAccessKey)
                } ?? FunctionCredentials(accessKeyID: "", secretAccessKey: "")
            }
        return InstanceSettings(
            temporaryRoot: temporaryRoot,
            hiddenPaths: [dataDirectory],
            useNamespaces: configuration.sandboxNamespaces,
            idleTimeout: configuration.instanceIdleTimeout,
            standbyInstances: configuration.standbyInstances,
            region: configuration.account.region,
            credentials: credentials,
            accountConcurrency: configuration.accountConcurrency
        )
    }

    /// The services the edge answers, sorted.
    package var serviceNames: [String] { pipeline.serviceNames }

    /// The HTTP application serving the edge.
    package func application(
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        -> some ApplicationProtocol
    {
        Application(
            responder: edgeResponder(),
            server: .edgeHTTP1(
                configuration: .init(
                    additionalChannelHandlers: [EdgeChannelHandler()],
                    idleTimeout: .seconds(Int64(configuration.idleTimeout.components.seconds))
                )
            ),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Nimbus"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                invoker.setEndpoint("http://\(configuration.isLoopback ? configuration.host : "127.0.0.1"):\(port)")
                sns.setEndpoint("http://\(configuration.isLoopback ? configuration.host : "127.0.0.1"):\(port)")
                apigateway.setEndpoint("http://\(configuration.isLoopback ? configuration.host : "127.0.0.1"):\(port)")
                await onServerRunning(port)
            },
            logger: logger
        )
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting, lets in-flight requests finish
    /// within the grace period, and closes the store.
    package func run(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        // The edge and the Runtime API listeners run on NIO's shared event loops.
        await EventLoopPlacement.spread(.singleton)
        let group = ServiceGroup(
            configuration: {
                var group = ServiceGroupConfiguration(
                    services: [
                        .init(service: StoreCloser(store: store, logger: logger)),
                        // Services stop in reverse order: Lambda, then S3 notifications and SNS
                        // (which may still send to queues and topics), then SQS, and the store last.
                        .init(service: QueueWorkers(sqs: sqs)),
                        .init(service: TopicDeliveries(sns: sns, logger: logger)),
                        .init(service: BucketNotifications(s3: s3, logger: logger)),
                        .init(service: FunctionWorkers(invoker: invoker, lambda: lambda, logger: logger)),
                        .init(service: application(logger: logger, onServerRunning: onServerRunning)),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
                group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
                return group
            }()
        )
        try await group.run()
    }
}
