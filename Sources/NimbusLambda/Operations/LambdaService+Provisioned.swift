import Foundation
import NimbusCore
package import NimbusWire

/// Provisioned concurrency: instances of a published version (or an alias's version) started
/// and initialised ahead of invocations, kept warm however long they idle. Allocation runs in
/// the background: `IN_PROGRESS`, then `READY` (or `FAILED` with the reason).
extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html
    package func putProvisionedConcurrencyConfig(
        _ input: LambdaShapes.PutProvisionedConcurrencyConfigRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.PutProvisionedConcurrencyConfigResponse
    {
        let name = try provisionedName(input.functionName, qualifier: input.qualifier, account: context.account)
        let requested = input.provisionedConcurrentExecutions
        guard requested >= 1 else {
            throw AWSError.validation(
                "1 validation error detected: Value '\(requested)' at 'provisionedConcurrentExecutions' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 1"
            )
        }
        _ = try await resolve(name, account: context.account)
        let limiter = invoker.limiter
        if let reserved = limiter.reserved(for: name.name), requested > reserved {
            throw AWSError.invalidParameter(
                "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function"
            )
        }
        let others = try await functions.provisioned(of: name.name).filter { $0.qualifier != input.qualifier }.map(\.requested).reduce(0, +)
        if limiter.reserved(for: name.name) == nil, others + requested > limiter.unreserved - ConcurrencyLimiter.minimumUnreserved {
            throw AWSError.invalidParameter(
                "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency "
                    + "[\(limiter.unreserved - ConcurrencyLimiter.minimumUnreserved)]."
            )
        }
        let configuration = FunctionStore.Provisioned(
            functionName: name.name,
            qualifier: input.qualifier,
            requested: requested,
            lastModified: lastModified()
        )
        try await functions.setProvisioned(configuration)
        startAllocation(configuration)
        return .init(
            allocatedProvisionedConcurrentExecutions: 0,
            availableProvisionedConcurrentExecutions: 0,
            lastModified: configuration.lastModified,
            requestedProvisionedConcurrentExecutions: requested,
            status: "IN_PROGRESS"
        )
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html
    package func getProvisionedConcurrencyConfig(
        _ input: LambdaShapes.GetProvisionedConcurrencyConfigRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.GetProvisionedConcurrencyConfigResponse
    {
        let name = try provisionedName(input.functionName, qualifier: input.qualifier, account: context.account)
        guard let configuration = try await functions.provisioned(of: name.name).first(where: { $0.qualifier == input.qualifier }) else {
            throw AWSError(
                code: "ProvisionedConcurrencyConfigNotFoundException",
                status: 404,
                message: "No Provisioned Concurrency Config found for this function"
            )
        }
        let item = listItem(configuration, account: context.account)
        return .init(
            allocatedProvisionedConcurrentExecutions: item.allocatedProvisionedConcurrentExecutions,
            availableProvisionedConcurrentExecutions: item.availableProvisionedConcurrentExecutions,
            lastModified: item.lastModified,
            requestedProvisionedConcurrentExecutions: item.requestedProvisionedConcurrentExecutions,
            status: item.status,
            statusReason: item.statusReason
        )
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteProvisionedConcurrencyConfig.html
    package func deleteProvisionedConcurrencyConfig(
        _ input: LambdaShapes.DeleteProvisionedConcurrencyConfigRequest,
        context: RequestContext
    ) async throws {
        let name = try provisionedName(input.functionName, qualifier: input.qualifier, account: context.account)
        guard try await functions.provisioned(of: name.name).contains(where: { $0.qualifier == input.qualifier }) else {
            throw AWSError(
                code: "ProvisionedConcurrencyConfigNotFoundException",
                status: 404,
                message: "No Provisioned Concurrency Config found for this function"
            )
        }
        try await functions.deleteProvisioned(of: name.name, qualifier: input.qualifier)
        provisioned.set(nil, of: name.name, qualifier: input.qualifier)
        if let record = try? await resolve(name, account: context.account) {
            await invoker.unprovision(functionName: name.name, version: record.configuration.version ?? "$LATEST")
        }
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListProvisionedConcurrencyConfigs.html
    package func listProvisionedConcurrencyConfigs(
        _ input: LambdaShapes.ListProvisionedConcurrencyConfigsRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.ListProvisionedConcurrencyConfigsResponse
    {
        let name = try FunctionName(input.functionName, account: context.account)
        _ = try await record(FunctionName(name: name.name, qualifier: nil), account: context.account)
        let limit = try Self.pageSize(input.maxItems.map { min($0, 50) })
        let all = try await functions.provisioned(of: name.name)
        let page = Self.page(all, marker: input.marker, limit: limit, key: \.qualifier)
        return .init(nextMarker: page.nextMarker, provisionedConcurrencyConfigs: page.items.map { listItem($0, account: context.account) })
    }

    /// Starts the allocations of every stored configuration (at server start).
    package func restoreProvisionedConcurrency() async {
        for configuration in (try? await functions.allProvisioned()) ?? [] { startAllocation(configuration) }
    }

    /// Launches the configuration's instances in the background and records how it went.
    private func startAllocation(_ configuration: FunctionStore.Provisioned) {
        let (name, qualifier) = (configuration.functionName, configuration.qualifier)
        provisioned.set(.init(state: "IN_PROGRESS", allocated: 0), of: name, qualifier: qualifier)
        Task {
            do {
                let record = try await resolve(FunctionName(name: name, qualifier: qualifier), account: account)
                let codeDirectory = try await codeDirectory(for: record)
                let outcome = await invoker.provision(configuration.requested, function: record.configuration, codeDirectory: codeDirectory)
                // A newer Put (or a Delete) replaced this allocation meanwhile: leave its status alone.
                guard let current = try await functions.provisioned(of: name).first(where: { $0.qualifier == qualifier }), current == configuration
                else { return }
                if outcome.ready >= configuration.requested {
                    provisioned.set(.init(state: "READY", allocated: outcome.ready), of: name, qualifier: qualifier)
                } else {
                    let reason = "FUNCTION_ERROR_INIT_FAILURE: \(outcome.failure ?? "an instance could not start")"
                    provisioned.set(.init(state: "FAILED", allocated: outcome.ready, reason: reason), of: name, qualifier: qualifier)
                }
            } catch {
                provisioned.set(.init(state: "FAILED", allocated: 0, reason: "\(error)"), of: name, qualifier: qualifier)
            }
        }
    }

    private func listItem(_ configuration: FunctionStore.Provisioned, account: AccountContext) -> LambdaShapes.ProvisionedConcurrencyConfigListItem {
        let status =
            provisioned.status(of: configuration.functionName, qualifier: configuration.qualifier) ?? .init(state: "IN_PROGRESS", allocated: 0)
        return .init(
            allocatedProvisionedConcurrentExecutions: status.allocated,
            availableProvisionedConcurrentExecutions: status.allocated,
            functionArn: FunctionName(name: configuration.functionName, qualifier: configuration.qualifier).invokedARN(in: account),
            lastModified: configuration.lastModified,
            requestedProvisionedConcurrentExecutions: configuration.requested,
            status: status.state,
            statusReason: status.reason
        )
    }

    /// A provisioned configuration's function: unqualified name plus a version or alias qualifier.
    private func provisionedName(_ text: String, qualifier: String, account: AccountContext) throws(AWSError) -> FunctionName {
        let name = try FunctionName(text, account: account).qualified(by: qualifier)
        guard Qualifier(qualifier) != .latest else {
            throw .invalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
        }
        return name
    }
}
