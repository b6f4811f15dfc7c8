import Foundation
package import NimbusCore
package import NimbusStore
import NimbusWire

/// AWS Lambda's control plane: functions, their code and configuration, tags.
///
/// Code is validated and kept twice: the zip as a blob (`GetFunction`'s `Code.Location`
/// serves it) and unpacked once per digest into a read-only directory under `codeRoot`,
/// where function instances run it. `Invoke` runs on the `FunctionInvoker`'s warm instances.
package struct LambdaService: ServiceHandler, LambdaOperations {
    package let serviceName = "lambda"

    let functions: FunctionStore
    let blobs: any BlobStore
    let codeRoot: String
    /// The digests unpacked under `codeRoot`.
    let unpackedCode = UnpackedCode()
    let clock: any WallClock
    /// Runs invocations on the functions' instances.
    package let invoker: FunctionInvoker
    /// The durable queue of asynchronous invocations and the loop's state.
    let asyncInvocations: AsyncInvocations
    /// Where destinations and dead-letter targets are reached.
    let dispatcher: any Dispatcher
    /// The account this server is (ARNs of functions run from the queue).
    let account: AccountContext
    /// How far each provisioned concurrency configuration has been allocated.
    let provisioned = ProvisionedAllocations()
    /// Where event source mappings read from (SQS queues), and their pollers' state.
    let eventSources: (any EventSources)?
    let pollers = EventSourcePollers()
    /// Where code given as `S3Bucket`/`S3Key` is read from (the S3 service).
    let objects: (any ObjectReader)?

    /// Migrates the service's tables and prepares the code folder.
    /// - Parameter asyncRetryBaseDelay: seconds before an asynchronous invocation's first
    ///   retry (doubling for the second); AWS waits about a minute, then two.
    package init(
        store: any SQLStore,
        blobs: any BlobStore,
        codeRoot: String,
        invoker: FunctionInvoker,
        dispatcher: any Dispatcher = DispatchRegistry(),
        eventSources: (any EventSources)? = nil,
        objects: (any ObjectReader)? = nil,
        account: AccountContext = AccountContext(),
        asyncRetryBaseDelay: Double = 60,
        clock: any WallClock = SystemWallClock()
    ) async throws {
        try await store.migrate(FunctionStore.migrations + AsyncEventStore.migrations)
        try FileManager.default.createDirectory(atPath: codeRoot, withIntermediateDirectories: true)
        functions = FunctionStore(store: store, clock: clock)
        try CodePackage.sweep(codeRoot, keeping: try await functions.referencedDigests())
        invoker.limiter.load(try await functions.reservedConcurrency())
        asyncInvocations = AsyncInvocations(events: AsyncEventStore(store: store), retryBaseDelay: asyncRetryBaseDelay)
        self.blobs = blobs
        self.codeRoot = codeRoot
        self.invoker = invoker
        self.dispatcher = dispatcher
        self.eventSources = eventSources
        self.objects = objects
        self.account = account
        self.clock = clock
    }

    /// The blob key of a code package, for the server's `Code.Location` endpoint.
    package static func codeBlobKey(digest: String) -> String { "lambda/code/\(digest)" }

    /// The path under which the server serves code packages: `<prefix><digest>.zip`.
    package static let codeLocationPrefix = "/_nimbus/lambda/code/"

    /// The version `name` denotes: `$LATEST`, a published version, or the version an alias
    /// routes to (with `routing`, drawn by the alias's weights as for an invocation; otherwise
    /// the alias's own version). The record's `configuration.version` is the version.
    func resolve(_ name: FunctionName, account: AccountContext, routing: Bool = false) async throws -> FunctionStore.Record {
        switch Qualifier(name.qualifier) {
        case .latest:
            return try await record(FunctionName(name: name.name, qualifier: nil), account: account)
        case .version(let number):
            guard let version = try await functions.version(number, of: name.name) else {
                throw AWSError.functionNotFound(name.invokedARN(in: account))
            }
            return version
        case .alias(let alias):
            guard let configuration = try await functions.alias(alias, of: name.name) else {
                throw AWSError.functionNotFound(name.invokedARN(in: account))
            }
            let aliasRouting = try AliasRouting(
                functionVersion: configuration.functionVersion ?? "$LATEST",
                weights: configuration.routingConfig?.additionalVersionWeights
            )
            let version = routing ? aliasRouting.pick() : aliasRouting.functionVersion
            return try await resolve(FunctionName(name: name.name, qualifier: version), account: account)
        }
    }

    /// The function's `$LATEST` (`name` must be unqualified or say `$LATEST`), or AWS's `ResourceNotFoundException`.
    func record(_ name: FunctionName, account: AccountContext) async throws -> FunctionStore.Record {
        guard name.qualifier == nil || name.qualifier == "$LATEST" else {
            throw AWSError.functionNotFound("\(name.arn(in: account)):\(name.qualifier ?? "")")
        }
        guard let record = try await functions.record(named: name.name) else {
            throw AWSError.functionNotFound(name.arn(in: account))
        }
        return record
    }

    /// Stores the zip as a blob and unpacks it; returns the package.
    func store(_ package: CodePackage) async throws -> CodePackage {
        try await blobs.put(Self.codeBlobKey(digest: package.hexDigest), package.bytes)
        _ = try package.unpack(under: codeRoot)
        return package
    }

    /// `2026-01-02T03:04:05.000+0000`, the format of `LastModified`.
    func lastModified() -> String {
        Timestamp.iso8601(clock.now().rounded(.down)).replacingOccurrences(of: "Z", with: ".000+0000")
    }
}
