package import NimbusCore

/// How other services invoke functions: SNS fan-out, S3 notifications, destinations and
/// API Gateway address a function by ARN through the `Dispatcher`.
///
/// The event's attribute `invocationType` chooses as `Invoke` does: `Event` (the default, as
/// for every push source that does not wait) queues it durably as an asynchronous invocation; `RequestResponse`
/// waits and replies with the function's response, with the reply attribute `functionError`
/// set (to `Unhandled`) when the function failed and `executedVersion` always. `DryRun` only
/// checks that the function exists (S3 validates notification targets with it). The attribute
/// `traceId`, when present, is the invocation's `X-Amzn-Trace-Id` (API Gateway passes its
/// request's on); otherwise a new one is made.
extension LambdaService: DispatchHandler {
    /// The attribute that chooses how the function is invoked.
    package static let invocationTypeAttribute = "invocationType"
    /// The attribute that carries the caller's trace header.
    package static let traceIDAttribute = "traceId"

    package func handle(_ event: DispatchEvent, for target: ARN) async throws -> DispatchReply {
        let account = AccountContext(accountID: target.account, region: target.region)
        let name = try FunctionName(target.description, account: account)
        let record = try await resolve(name, account: account, routing: true)
        let invocation = Invocation(
            requestID: RequestID.make(),
            payload: event.payload.isEmpty ? Array("{}".utf8) : event.payload,
            deadlineMilliseconds: 0,
            invokedFunctionARN: name.invokedARN(in: account),
            traceID: event.attributes[Self.traceIDAttribute] ?? TraceID.make(now: clock.now()),
            clientContext: nil,
            cognitoIdentity: nil
        )
        switch event.attributes[Self.invocationTypeAttribute] ?? "Event" {
        case "DryRun":
            return DispatchReply()
        case "Event":
            guard invocation.payload.count <= Self.asyncPayloadLimit else {
                throw AWSError(
                    code: "RequestTooLargeException",
                    status: 413,
                    message: "Event payloads must be smaller than \(Self.asyncPayloadLimit) bytes"
                )
            }
            try await enqueueEvent(id: invocation.requestID, name: name, payload: invocation.payload)
            return DispatchReply()
        case "RequestResponse":
            let codeDirectory = try await codeDirectory(for: record)
            let result: InvocationResult
            do {
                result = try await invoker.invoke(invocation, function: record.configuration, codeDirectory: codeDirectory, captureTail: false)
            } catch {
                throw error.awsError
            }
            var attributes = ["executedVersion": record.configuration.version ?? "$LATEST"]
            attributes["functionError"] = result.functionError
            return DispatchReply(payload: result.payload, attributes: attributes)
        case let other:
            throw AWSError.validation("Invocation type \(other) is not one of Event, RequestResponse, DryRun")
        }
    }
}
