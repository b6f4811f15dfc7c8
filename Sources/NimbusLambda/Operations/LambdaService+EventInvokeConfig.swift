import Foundation
import NimbusCore
package import NimbusWire

/// Settings of asynchronous invocation per function, version or alias: retries, maximum event
/// age, and where records of successes and failures go.
extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
    package func putFunctionEventInvokeConfig(
        _ input: LambdaShapes.PutFunctionEventInvokeConfigRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionEventInvokeConfig
    {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        return try await saveInvokeConfig(
            of: name,
            account: context.account,
            LambdaShapes.FunctionEventInvokeConfig(
                destinationConfig: input.destinationConfig,
                maximumEventAgeInSeconds: input.maximumEventAgeInSeconds,
                maximumRetryAttempts: input.maximumRetryAttempts
            )
        )
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionEventInvokeConfig.html
    package func updateFunctionEventInvokeConfig(
        _ input: LambdaShapes.UpdateFunctionEventInvokeConfigRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionEventInvokeConfig
    {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        var configuration = try await existingInvokeConfig(of: name, account: context.account)
        if let retries = input.maximumRetryAttempts { configuration.maximumRetryAttempts = retries }
        if let age = input.maximumEventAgeInSeconds { configuration.maximumEventAgeInSeconds = age }
        if let destinations = input.destinationConfig {
            var merged = configuration.destinationConfig ?? .init()
            if let onSuccess = destinations.onSuccess { merged.onSuccess = onSuccess }
            if let onFailure = destinations.onFailure { merged.onFailure = onFailure }
            configuration.destinationConfig = merged
        }
        return try await saveInvokeConfig(of: name, account: context.account, configuration)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionEventInvokeConfig.html
    package func getFunctionEventInvokeConfig(
        _ input: LambdaShapes.GetFunctionEventInvokeConfigRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionEventInvokeConfig
    {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        return try await existingInvokeConfig(of: name, account: context.account)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionEventInvokeConfig.html
    package func deleteFunctionEventInvokeConfig(_ input: LambdaShapes.DeleteFunctionEventInvokeConfigRequest, context: RequestContext) async throws {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        _ = try await existingInvokeConfig(of: name, account: context.account)
        try await asyncInvocations.events.deleteInvokeConfig(of: name.name, qualifier: name.qualifier ?? "")
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionEventInvokeConfigs.html
    package func listFunctionEventInvokeConfigs(
        _ input: LambdaShapes.ListFunctionEventInvokeConfigsRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.ListFunctionEventInvokeConfigsResponse
    {
        let name = try FunctionName(input.functionName, account: context.account)
        _ = try await record(FunctionName(name: name.name, qualifier: nil), account: context.account)
        let limit = try Self.pageSize(input.maxItems.map { min($0, 50) })
        let all = try await asyncInvocations.events.invokeConfigs(of: name.name)
        let page = Self.page(all, marker: input.marker, limit: limit, key: \.functionArn)
        return .init(functionEventInvokeConfigs: page.items, nextMarker: page.nextMarker)
    }

    private func existingInvokeConfig(of name: FunctionName, account: AccountContext) async throws -> LambdaShapes.FunctionEventInvokeConfig {
        _ = try await resolve(name, account: account)
        guard let configuration = try await asyncInvocations.events.invokeConfig(of: name.name, qualifier: name.qualifier ?? "") else {
            throw AWSError(
                code: "ResourceNotFoundException",
                status: 404,
                message: "The function \(name.invokedARN(in: account)) doesn't have an EventInvokeConfig"
            )
        }
        return configuration
    }

    /// Validates and stores a configuration; stamps its ARN and modification time.
    private func saveInvokeConfig(
        of name: FunctionName,
        account: AccountContext,
        _ configuration: LambdaShapes.FunctionEventInvokeConfig
    ) async throws -> LambdaShapes.FunctionEventInvokeConfig {
        _ = try await resolve(name, account: account)
        if let retries = configuration.maximumRetryAttempts, !(0...2).contains(retries) {
            throw AWSError.validation(
                "1 validation error detected: Value '\(retries)' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"
            )
        }
        if let age = configuration.maximumEventAgeInSeconds, !(60...21_600).contains(age) {
            throw AWSError.validation(
                "1 validation error detected: Value '\(age)' at 'maximumEventAgeInSeconds' failed to satisfy constraint: "
                    + "Member must have value \(age < 60 ? "greater than or equal to 60" : "less than or equal to 21600")"
            )
        }
        for destination in [configuration.destinationConfig?.onSuccess?.destination, configuration.destinationConfig?.onFailure?.destination] {
            guard let destination else { continue }
            guard let arn = ARN(destination), ["sqs", "sns", "lambda", "events", "s3"].contains(arn.service) else {
                throw AWSError.invalidParameter("The destination ARN \(destination) is invalid.")
            }
            if arn.service == "lambda", arn.resource == "function:\(name.name)" || arn.resource.hasPrefix("function:\(name.name):") {
                throw AWSError.invalidParameter("You can't specify the function as a destination for itself.")
            }
        }
        var stamped = configuration
        stamped.functionArn = name.invokedARN(in: account)
        stamped.lastModified = Date(timeIntervalSince1970: clock.now())
        if stamped.maximumRetryAttempts == nil { stamped.maximumRetryAttempts = Self.defaultMaximumRetryAttempts }
        if stamped.maximumEventAgeInSeconds == nil { stamped.maximumEventAgeInSeconds = Self.defaultMaximumEventAge }
        try await asyncInvocations.events.setInvokeConfig(stamped, of: name.name, qualifier: name.qualifier ?? "")
        return stamped
    }
}
