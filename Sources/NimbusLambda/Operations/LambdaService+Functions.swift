import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
    package func createFunction(
        _ input: LambdaShapes.CreateFunctionRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionConfiguration
    {
        let name = try FunctionName(input.functionName, account: context.account)
        guard name.qualifier == nil else { throw AWSError.invalidParameter("CreateFunction does not take a qualified function name") }
        guard input.packageType == nil || input.packageType == "Zip" else {
            throw AWSError.invalidParameter("Nimbus runs Zip packages; container images (PackageType Image) are not supported")
        }
        guard let runtime = input.runtime else { throw AWSError.invalidParameter("Runtime is required for .zip file deployment packages") }
        try FunctionSettings.validate(
            runtime: runtime,
            handler: input.handler,
            timeout: input.timeout,
            memorySize: input.memorySize,
            ephemeralStorage: input.ephemeralStorage?.size
        )
        try FunctionSettings.validate(environment: input.environment?.variables)
        guard let zip = input.code.zipFile else {
            throw AWSError.invalidParameter(
                input.code.s3Bucket != nil ? "Code from S3 (S3Bucket/S3Key) is not supported until Nimbus serves S3" : "Code.ZipFile is required"
            )
        }
        let package = try await store(try CodePackage(zip: [UInt8](zip)))
        var configuration = LambdaShapes.FunctionConfiguration(
            architectures: input.architectures ?? ["x86_64"],
            codeSha256: package.sha256,
            codeSize: Int64(package.bytes.count),
            deadLetterConfig: input.deadLetterConfig,
            description: input.description ?? "",
            environment: input.environment.map { .init(variables: $0.variables) },
            ephemeralStorage: input.ephemeralStorage ?? .init(size: 512),
            functionArn: name.arn(in: context.account),
            functionName: name.name,
            handler: input.handler,
            lastModified: lastModified(),
            lastUpdateStatus: "Successful",
            layers: input.layers?.map { .init(arn: $0, codeSize: 0) },
            loggingConfig: .init(logFormat: "Text", logGroup: "/aws/lambda/\(name.name)"),
            memorySize: input.memorySize ?? 128,
            packageType: "Zip",
            revisionId: UUID().uuidString.lowercased(),
            role: input.role,
            runtime: runtime,
            snapStart: .init(applyOn: "None", optimizationStatus: "Off"),
            state: "Active",
            timeout: input.timeout ?? 3,
            tracingConfig: .init(mode: input.tracingConfig?.mode ?? "PassThrough"),
            version: "$LATEST"
        )
        let record = FunctionStore.Record(configuration: configuration, codeDigest: package.hexDigest, tags: input.tags ?? [:])
        guard try await functions.insert(record, now: clock.now()) else { throw AWSError.functionExists(name.name) }
        // AWS answers CreateFunction while the function is still being set up; the next read sees it Active.
        configuration.state = "Pending"
        configuration.stateReason = "The function is being created."
        configuration.stateReasonCode = "Creating"
        return configuration
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
    package func getFunction(_ input: LambdaShapes.GetFunctionRequest, context: RequestContext) async throws -> LambdaShapes.GetFunctionResponse {
        let record = try await record(try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier), context: context)
        let host = context.request.header("host") ?? "127.0.0.1:4566"
        let location = "http://\(host)\(Self.codeLocationPrefix)\(record.codeDigest).zip"
        return .init(
            code: .init(location: location, repositoryType: "S3"),
            configuration: record.configuration,
            tags: record.tags.isEmpty ? nil : record.tags
        )
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
    package func getFunctionConfiguration(
        _ input: LambdaShapes.GetFunctionConfigurationRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionConfiguration
    {
        try await record(try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier), context: context)
            .configuration
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
    package func listFunctions(_ input: LambdaShapes.ListFunctionsRequest, context: RequestContext) async throws -> LambdaShapes.ListFunctionsResponse
    {
        let limit = input.maxItems ?? 50
        guard (1...10_000).contains(limit) else {
            throw AWSError(
                code: "ValidationException",
                message:
                    "1 validation error detected: Value '\(limit)' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000"
            )
        }
        let page = try await functions.list(after: input.marker.flatMap(Self.markerName), limit: limit + 1)
        let more = page.count > limit
        let shown = page.prefix(limit).map(\.configuration)
        return .init(functions: Array(shown), nextMarker: more ? shown.last?.functionName.map(Self.marker) : nil)
    }

    /// Markers are opaque to clients; they carry the last function name listed.
    static func marker(_ name: String) -> String { Base64.encode(Array(name.utf8)) }

    static func markerName(_ marker: String) -> String? { Base64.decode(marker).flatMap { String(validating: $0, as: UTF8.self) } }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html
    package func deleteFunction(
        _ input: LambdaShapes.DeleteFunctionRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.DeleteFunctionResponse
    {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        if let qualifier = name.qualifier, qualifier != "$LATEST" {
            throw AWSError.functionNotFound("\(name.arn(in: context.account)):\(qualifier)")
        }
        let record = try await record(name, context: context)
        let codeStillUsed = try await functions.delete(named: name.name, digest: record.codeDigest)
        await invoker.retire(functionName: name.name)
        if !codeStillUsed {
            try await blobs.delete(Self.codeBlobKey(digest: record.codeDigest))
            CodePackage.remove(digest: record.codeDigest, under: codeRoot)
        }
        return .init()
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html
    package func getAccountSettings(
        _ input: LambdaShapes.GetAccountSettingsRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.GetAccountSettingsResponse
    {
        let usage = try await functions.usage()
        return .init(
            accountLimit: .init(
                codeSizeUnzipped: Int64(CodePackage.maximumUnzippedSize),
                codeSizeZipped: Int64(CodePackage.maximumZippedSize),
                concurrentExecutions: 1000,
                totalCodeSize: 80_530_636_800,
                unreservedConcurrentExecutions: 1000
            ),
            accountUsage: .init(functionCount: usage.count, totalCodeSize: usage.codeSize)
        )
    }
}

extension FunctionName {
    /// The name with the separate `Qualifier` parameter applied; both forms must agree.
    func qualified(by qualifier: String?) throws(AWSError) -> FunctionName {
        guard let qualifier else { return self }
        if let own = self.qualifier, own != qualifier {
            throw .invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
        }
        return FunctionName(name: name, qualifier: qualifier)
    }

    init(name: String, qualifier: String?) {
        self.name = name
        self.qualifier = qualifier
    }
}
