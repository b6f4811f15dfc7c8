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
        let zip = try await codeBytes(
            zipFile: input.code.zipFile,
            s3Bucket: input.code.s3Bucket,
            s3Key: input.code.s3Key,
            s3ObjectVersion: input.code.s3ObjectVersion,
            zipFileName: "Code.ZipFile"
        )
        let package = try await store(try CodePackage(zip: zip))
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
        if input.publish == true { configuration = try await publish(record, description: nil, account: context.account) }
        // AWS answers CreateFunction while the function is still being set up; the next read sees it Active.
        configuration.state = "Pending"
        configuration.stateReason = "The function is being created."
        configuration.stateReasonCode = "Creating"
        return configuration
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
    package func getFunction(_ input: LambdaShapes.GetFunctionRequest, context: RequestContext) async throws -> LambdaShapes.GetFunctionResponse {
        let record = try await resolve(
            try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier),
            account: context.account
        )
        let host = context.request.header("host") ?? "127.0.0.1:4566"
        let location = "http://\(host)\(Self.codeLocationPrefix)\(record.codeDigest).zip"
        let reserved = invoker.limiter.reserved(for: record.configuration.functionName ?? "")
        let tags = try await self.record(FunctionName(name: record.configuration.functionName ?? "", qualifier: nil), account: context.account).tags
        return .init(
            code: .init(location: location, repositoryType: "S3"),
            concurrency: reserved.map { .init(reservedConcurrentExecutions: $0) },
            configuration: record.configuration,
            tags: tags.isEmpty ? nil : tags
        )
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
    package func getFunctionConfiguration(
        _ input: LambdaShapes.GetFunctionConfigurationRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionConfiguration
    {
        try await resolve(try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier), account: context.account)
            .configuration
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
    package func listFunctions(_ input: LambdaShapes.ListFunctionsRequest, context: RequestContext) async throws -> LambdaShapes.ListFunctionsResponse
    {
        let limit = try Self.pageSize(input.maxItems)
        guard input.functionVersion == nil || input.functionVersion == "ALL" else {
            throw AWSError.validation(
                "1 validation error detected: Value '\(input.functionVersion ?? "")' at 'functionVersion' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [ALL]"
            )
        }
        let page = try await functions.list(after: input.marker.flatMap(Self.markerName), limit: limit + 1)
        let more = page.count > limit
        var shown: [LambdaShapes.FunctionConfiguration] = []
        for record in page.prefix(limit) {
            shown.append(record.configuration)
            // `FunctionVersion: ALL` lists each function's published versions after its `$LATEST`.
            if input.functionVersion == "ALL", let name = record.configuration.functionName {
                shown += try await functions.versions(of: name, after: 0, limit: 100_000).map(\.configuration)
            }
        }
        return .init(functions: shown, nextMarker: more ? page.prefix(limit).last?.configuration.functionName.map(Self.marker) : nil)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html
    package func deleteFunction(
        _ input: LambdaShapes.DeleteFunctionRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.DeleteFunctionResponse
    {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        let unused: [String]
        switch Qualifier(name.qualifier) {
        case .latest:
            guard name.qualifier == nil else {
                throw AWSError.invalidParameter("$LATEST version cannot be deleted without deleting the function.")
            }
            _ = try await record(name, account: context.account)
            unused = try await functions.delete(named: name.name)
            invoker.limiter.setReserved(nil, for: name.name)
            invoker.metrics.forget(name.name)
            try await asyncInvocations.events.deleteInvokeConfig(of: name.name, qualifier: nil)
            try await asyncInvocations.events.removeEvents(of: name.name)
            await invoker.retire(functionName: name.name)
        case .version(let number):
            _ = try await resolve(name, account: context.account)
            let aliases = try await functions.aliases(of: name.name, routingTo: String(number))
            guard aliases.isEmpty else {
                throw AWSError(
                    code: "ResourceConflictException",
                    status: 409,
                    message: "Unable to delete version because the following aliases reference it: [\(aliases.joined(separator: ", "))]"
                )
            }
            unused = try await functions.deleteVersion(number, of: name.name)
            await invoker.retire(functionName: name.name, version: String(number))
        case .alias:
            throw AWSError.invalidParameter("Deletion of aliases is not supported by DeleteFunction; use DeleteAlias")
        }
        for digest in unused {
            try await blobs.delete(Self.codeBlobKey(digest: digest))
            unpackedCode.remove(digest)
            CodePackage.remove(digest: digest, under: codeRoot)
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
                concurrentExecutions: invoker.limiter.accountLimit,
                totalCodeSize: 80_530_636_800,
                unreservedConcurrentExecutions: invoker.limiter.unreserved
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
