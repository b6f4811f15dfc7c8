import Foundation
import NimbusCore
package import NimbusWire

/// Event source mappings: a poller reads a queue and invokes a function with batches of its
/// messages (see `EventSourcePollers`). SQS is the source Nimbus polls today.
extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
    package func createEventSourceMapping(
        _ input: LambdaShapes.CreateEventSourceMappingRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.EventSourceMappingConfiguration
    {
        guard let source = input.eventSourceArn else { throw AWSError.invalidParameter("EventSourceArn is required.") }
        let name = try FunctionName(input.functionName, account: context.account)
        let record = try await resolve(name, account: context.account)
        let arn = try Self.checkedSource(source)
        let settings = try MappingSettings(
            batchSize: input.batchSize,
            window: input.maximumBatchingWindowInSeconds,
            responseTypes: input.functionResponseTypes,
            maximumConcurrency: input.scalingConfig?.maximumConcurrency,
            fifo: arn.resource.hasSuffix(".fifo")
        )
        _ = try EventFilter(input.filterCriteria)
        let functionARN = name.invokedARN(in: context.account)
        if let existing = try await functions.mappings().first(where: { $0.eventSourceArn == source && $0.functionArn == functionARN }) {
            throw AWSError(
                code: "ResourceConflictException",
                status: 409,
                message: "An event source mapping with SQS arn (\" \(source) \") and function (\" \(record.configuration.functionName ?? "") \") "
                    + "already exists. Please update or delete the existing mapping with UUID \(existing.uuid ?? "")"
            )
        }
        let uuid = UUID().uuidString.lowercased()
        var mapping = LambdaShapes.EventSourceMappingConfiguration(
            batchSize: settings.batchSize,
            eventSourceArn: source,
            eventSourceMappingArn:
                "arn:\(context.account.partition):lambda:\(context.account.region):\(context.account.accountID):event-source-mapping:\(uuid)",
            filterCriteria: input.filterCriteria,
            functionArn: functionARN,
            functionResponseTypes: settings.responseTypes,
            lastModified: Date(timeIntervalSince1970: clock.now()),
            lastProcessingResult: "No records processed",
            maximumBatchingWindowInSeconds: settings.window,
            scalingConfig: input.scalingConfig,
            state: input.enabled == false ? "Disabled" : "Enabled",
            stateTransitionReason: "USER_INITIATED",
            uuid: uuid
        )
        try await functions.saveMapping(mapping, functionName: name.name)
        pollers.wake()
        // AWS answers while the mapping is being set up; reads after that see it Enabled.
        mapping.state = "Creating"
        return mapping
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetEventSourceMapping.html
    package func getEventSourceMapping(
        _ input: LambdaShapes.GetEventSourceMappingRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.EventSourceMappingConfiguration
    {
        try await existingMapping(input.uuid)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html
    package func updateEventSourceMapping(
        _ input: LambdaShapes.UpdateEventSourceMappingRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.EventSourceMappingConfiguration
    {
        var mapping = try await existingMapping(input.uuid)
        var functionName = FunctionName(name: "", qualifier: nil)
        if let text = input.functionName {
            functionName = try FunctionName(text, account: context.account)
            _ = try await resolve(functionName, account: context.account)
            mapping.functionArn = functionName.invokedARN(in: context.account)
        } else if let arn = mapping.functionArn {
            functionName = try FunctionName(arn, account: context.account)
        }
        let settings = try MappingSettings(
            batchSize: input.batchSize ?? mapping.batchSize,
            window: input.maximumBatchingWindowInSeconds ?? mapping.maximumBatchingWindowInSeconds,
            responseTypes: input.functionResponseTypes ?? mapping.functionResponseTypes,
            maximumConcurrency: (input.scalingConfig ?? mapping.scalingConfig)?.maximumConcurrency,
            fifo: mapping.eventSourceArn?.hasSuffix(".fifo") ?? false
        )
        mapping.batchSize = settings.batchSize
        mapping.maximumBatchingWindowInSeconds = settings.window
        mapping.functionResponseTypes = settings.responseTypes
        if let scaling = input.scalingConfig { mapping.scalingConfig = scaling }
        if let filters = input.filterCriteria {
            _ = try EventFilter(filters)
            // An empty criteria object removes the filters, as on AWS.
            mapping.filterCriteria = filters.filters?.isEmpty == false ? filters : nil
        }
        let wasEnabled = mapping.state == "Enabled"
        if let enabled = input.enabled { mapping.state = enabled ? "Enabled" : "Disabled" }
        mapping.lastModified = Date(timeIntervalSince1970: clock.now())
        try await functions.saveMapping(mapping, functionName: functionName.name)
        pollers.wake()
        var answer = mapping
        answer.state = wasEnabled == (mapping.state == "Enabled") ? "Updating" : (mapping.state == "Enabled" ? "Enabling" : "Disabling")
        return answer
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteEventSourceMapping.html
    package func deleteEventSourceMapping(
        _ input: LambdaShapes.DeleteEventSourceMappingRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.EventSourceMappingConfiguration
    {
        var mapping = try await existingMapping(input.uuid)
        try await functions.deleteMapping(input.uuid)
        pollers.wake()
        mapping.state = "Deleting"
        return mapping
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListEventSourceMappings.html
    package func listEventSourceMappings(
        _ input: LambdaShapes.ListEventSourceMappingsRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.ListEventSourceMappingsResponse
    {
        let limit = try Self.pageSize(input.maxItems)
        let function = try input.functionName.map { try FunctionName($0, account: context.account) }
        let all = try await functions.mappings().filter { mapping in
            (input.eventSourceArn == nil || mapping.eventSourceArn == input.eventSourceArn)
                && (function == nil || mapping.functionArn.flatMap { try? FunctionName($0, account: context.account) }?.name == function?.name)
        }
        let after = input.marker.flatMap(Self.markerName)
        let rest = after.map { marker in all.filter { ($0.uuid ?? "") > marker } } ?? all
        let page = Array(rest.prefix(limit)).map(withProcessingResult)
        return .init(eventSourceMappings: page, nextMarker: rest.count > limit ? page.last?.uuid.map(Self.marker) : nil)
    }

    private func existingMapping(_ uuid: String) async throws -> LambdaShapes.EventSourceMappingConfiguration {
        guard let mapping = try await functions.mapping(uuid) else {
            throw AWSError(
                code: "ResourceNotFoundException",
                status: 404,
                message: "The resource you requested does not exist. (Service: Lambda, Status Code: 404)"
            )
        }
        return withProcessingResult(mapping)
    }

    /// The mapping with what its poller last saw (kept in memory, not in the store).
    private func withProcessingResult(_ mapping: LambdaShapes.EventSourceMappingConfiguration) -> LambdaShapes.EventSourceMappingConfiguration {
        var mapping = mapping
        if let result = pollers.lastResult(of: mapping.uuid ?? "") { mapping.lastProcessingResult = result }
        return mapping
    }

    /// An event source Nimbus can poll: an SQS queue ARN.
    private static func checkedSource(_ text: String) throws(AWSError) -> ARN {
        guard let arn = ARN(text) else { throw .invalidParameter("The event source ARN \(text) is not valid.") }
        guard arn.service == "sqs" else {
            throw .invalidParameter("Nimbus polls SQS queues; \(arn.service) event sources are not supported yet.")
        }
        return arn
    }
}

/// A mapping's batching and scaling settings, checked as AWS checks them for SQS.
struct MappingSettings {
    var batchSize: Int
    var window: Int
    var responseTypes: [String]?

    init(batchSize: Int?, window: Int?, responseTypes: [String]?, maximumConcurrency: Int?, fifo: Bool) throws(AWSError) {
        let batchSize = batchSize ?? 10
        let limit = fifo ? 10 : 10_000
        guard (1...limit).contains(batchSize) else {
            throw .invalidParameter("BatchSize \(batchSize) is out of range: it must be between 1 and \(limit) for this queue.")
        }
        let window = window ?? 0
        guard (0...300).contains(window) else {
            throw .invalidParameter("MaximumBatchingWindowInSeconds \(window) is out of range: it must be between 0 and 300.")
        }
        guard batchSize <= 10 || window >= 1 else {
            throw .invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        }
        if let types = responseTypes, !types.allSatisfy({ $0 == "ReportBatchItemFailures" }) {
            throw .invalidParameter("FunctionResponseTypes may only contain ReportBatchItemFailures.")
        }
        if let concurrency = maximumConcurrency, !(2...1000).contains(concurrency) {
            throw .invalidParameter("ScalingConfig.MaximumConcurrency \(concurrency) is out of range: it must be between 2 and 1000.")
        }
        self.batchSize = batchSize
        self.window = window
        self.responseTypes = responseTypes
    }
}
