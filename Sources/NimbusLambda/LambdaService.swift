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
    let clock: any WallClock
    /// Runs invocations on the functions' instances.
    package let invoker: FunctionInvoker

    /// Migrates the service's tables and prepares the code folder.
    package init(
        store: any SQLStore,
        blobs: any BlobStore,
        codeRoot: String,
        invoker: FunctionInvoker,
        clock: any WallClock = SystemWallClock()
    ) async throws {
        try await store.migrate(FunctionStore.migrations)
        try FileManager.default.createDirectory(atPath: codeRoot, withIntermediateDirectories: true)
        functions = FunctionStore(store: store, clock: clock)
        self.blobs = blobs
        self.codeRoot = codeRoot
        self.invoker = invoker
        self.clock = clock
    }

    /// The blob key of a code package, for the server's `Code.Location` endpoint.
    package static func codeBlobKey(digest: String) -> String { "lambda/code/\(digest)" }

    /// The path under which the server serves code packages: `<prefix><digest>.zip`.
    package static let codeLocationPrefix = "/_nimbus/lambda/code/"

    func record(_ name: FunctionName, context: RequestContext) async throws -> FunctionStore.Record {
        guard name.qualifier == nil || name.qualifier == "$LATEST" else {
            throw AWSError.functionNotFound("\(name.arn(in: context.account)):\(name.qualifier ?? "")")
        }
        guard let record = try await functions.record(named: name.name) else {
            throw AWSError.functionNotFound(name.arn(in: context.account))
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
