import NimbusCore
import NimbusWire

/// An `AWS_PROXY` integration: the request as a payload 1.0 or 2.0 event, the function
/// invoked synchronously through the dispatcher, its answer mapped back.
struct LambdaIntegration: Sendable {
    let dispatcher: any Dispatcher

    func invoke(_ integration: APIGatewayShapes.Integration, facts: RequestFacts, traceID: String) async -> GatewayResponse {
        let uri = StageVariables.substitute(integration.integrationUri ?? "", facts.stageVariables)
        guard let function = LambdaTarget.functionARN(uri) else { return .internalError }
        let version = integration.payloadFormatVersion ?? "1.0"
        let event = version == "2.0" ? ProxyEventV2.make(facts) : ProxyEventV1.make(facts)
        let dispatch = DispatchEvent(payload: JSONWriter.encode(event), attributes: ["invocationType": "RequestResponse", "traceId": traceID])
        let timeout = Double(integration.timeoutInMillis ?? IntegrationRules.maximumTimeout) / 1000
        let dispatcher = self.dispatcher
        let reply: DispatchReply?
        do {
            reply = try await Deadline.race(seconds: timeout) { try await dispatcher.deliver(dispatch, to: function) }
        } catch {
            return .internalError
        }
        guard let reply else { return .serviceUnavailable }
        guard reply.attributes["functionError"] == nil else { return .internalError }
        return ProxyResponse.map(reply.payload, version: version) ?? .internalError
    }
}
