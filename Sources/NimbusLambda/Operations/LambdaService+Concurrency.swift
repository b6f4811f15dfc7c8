import NimbusCore
package import NimbusWire

extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
    package func putFunctionConcurrency(
        _ input: LambdaShapes.PutFunctionConcurrencyRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.Concurrency
    {
        let name = try FunctionName(input.functionName, account: context.account)
        _ = try await record(name, account: context.account)
        let reserved = input.reservedConcurrentExecutions
        guard reserved >= 0 else {
            throw AWSError.validation(
                "1 validation error detected: Value '\(reserved)' at 'reservedConcurrentExecutions' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 0"
            )
        }
        let limiter = invoker.limiter
        guard limiter.unreserved(ifReserving: reserved, for: name.name) >= ConcurrencyLimiter.minimumUnreserved else {
            throw AWSError.invalidParameter(
                "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of "
                    + "[\(ConcurrencyLimiter.minimumUnreserved)]."
            )
        }
        try await functions.setReservedConcurrency(reserved, of: name.name)
        limiter.setReserved(reserved, for: name.name)
        return .init(reservedConcurrentExecutions: reserved)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConcurrency.html
    package func getFunctionConcurrency(
        _ input: LambdaShapes.GetFunctionConcurrencyRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.GetFunctionConcurrencyResponse
    {
        let name = try FunctionName(input.functionName, account: context.account)
        _ = try await record(name, account: context.account)
        return .init(reservedConcurrentExecutions: invoker.limiter.reserved(for: name.name))
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionConcurrency.html
    package func deleteFunctionConcurrency(_ input: LambdaShapes.DeleteFunctionConcurrencyRequest, context: RequestContext) async throws {
        let name = try FunctionName(input.functionName, account: context.account)
        _ = try await record(name, account: context.account)
        try await functions.setReservedConcurrency(nil, of: name.name)
        invoker.limiter.setReserved(nil, for: name.name)
    }
}
