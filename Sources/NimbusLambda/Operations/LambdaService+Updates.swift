import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
    package func updateFunctionCode(
        _ input: LambdaShapes.UpdateFunctionCodeRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionConfiguration
    {
        var record = try await record(try FunctionName(input.functionName, account: context.account), account: context.account)
        try checkRevision(input.revisionId, record)
        let zip = try await codeBytes(
            zipFile: input.zipFile,
            s3Bucket: input.s3Bucket,
            s3Key: input.s3Key,
            s3ObjectVersion: input.s3ObjectVersion,
            zipFileName: "ZipFile"
        )
        let package = try CodePackage(zip: zip)
        if input.dryRun == true { return record.configuration }
        _ = try await store(package)
        record.codeDigest = package.hexDigest
        record.configuration.codeSha256 = package.sha256
        record.configuration.codeSize = Int64(package.bytes.count)
        if let architectures = input.architectures { record.configuration.architectures = architectures }
        let saved = try await save(&record)
        guard input.publish == true else { return saved }
        return try await publish(record, description: nil, account: context.account)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
    package func updateFunctionConfiguration(
        _ input: LambdaShapes.UpdateFunctionConfigurationRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionConfiguration
    {
        var record = try await record(try FunctionName(input.functionName, account: context.account), account: context.account)
        try checkRevision(input.revisionId, record)
        let runtime = input.runtime ?? record.configuration.runtime
        try FunctionSettings.validate(
            runtime: runtime,
            handler: input.handler ?? record.configuration.handler,
            timeout: input.timeout,
            memorySize: input.memorySize,
            ephemeralStorage: input.ephemeralStorage?.size
        )
        try FunctionSettings.validate(environment: input.environment?.variables)
        var configuration = record.configuration
        configuration.runtime = runtime
        if let handler = input.handler { configuration.handler = handler }
        if let timeout = input.timeout { configuration.timeout = timeout }
        if let memorySize = input.memorySize { configuration.memorySize = memorySize }
        if let environment = input.environment { configuration.environment = .init(variables: environment.variables ?? [:]) }
        if let storage = input.ephemeralStorage { configuration.ephemeralStorage = storage }
        if let description = input.description { configuration.description = description }
        if let role = input.role { configuration.role = role }
        if let layers = input.layers { configuration.layers = layers.map { .init(arn: $0, codeSize: 0) } }
        if let deadLetter = input.deadLetterConfig { configuration.deadLetterConfig = deadLetter }
        if let tracing = input.tracingConfig { configuration.tracingConfig = .init(mode: tracing.mode ?? "PassThrough") }
        record.configuration = configuration
        return try await save(&record)
    }

    /// Records a change: new revision and modification time; the update reads back as
    /// `Successful` while the answer says `InProgress`, as AWS's does.
    private func save(_ record: inout FunctionStore.Record) async throws -> LambdaShapes.FunctionConfiguration {
        record.configuration.revisionId = UUID().uuidString.lowercased()
        record.configuration.lastModified = lastModified()
        record.configuration.lastUpdateStatus = "Successful"
        // Code nothing refers to any more goes; its unpacked folder stays for invocations still
        // running it, until the next start sweeps it.
        for digest in try await functions.update(record) {
            try await blobs.delete(Self.codeBlobKey(digest: digest))
        }
        var answer = record.configuration
        answer.lastUpdateStatus = "InProgress"
        answer.lastUpdateStatusReason = "The function is being updated."
        answer.lastUpdateStatusReasonCode = "Updating"
        return answer
    }

    private func checkRevision(_ expected: String?, _ record: FunctionStore.Record) throws(AWSError) {
        try Self.checkRevision(expected, of: record.configuration.revisionId)
    }
}
