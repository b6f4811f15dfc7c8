package import NimbusCore

/// The edge as one list of steps: route → authenticate → decode → dispatch → encode,
/// with every failure rendered as AWS's error in the request's protocol.
package struct EdgePipeline: Sendable {
    /// What the edge did with one request, for the access log.
    package struct Outcome: Sendable {
        package var response: AWSResponse
        package var requestID: String
        package var service: String?
        package var operation: String?
        package var errorCode: String?
    }

    private let router: OperationRouter
    private let authenticator: RequestAuthenticator
    private let handlers: [String: any ServiceHandler]
    private let account: AccountContext

    package init(router: OperationRouter, authenticator: RequestAuthenticator, handlers: [any ServiceHandler], account: AccountContext) {
        self.router = router
        self.authenticator = authenticator
        self.handlers = Dictionary(handlers.map { ($0.serviceName, $0) }, uniquingKeysWith: { _, last in last })
        self.account = account
    }

    /// The services with a handler, sorted.
    package var serviceNames: [String] { handlers.keys.sorted() }

    /// Answers `request`; never throws: every failure becomes an AWS error response.
    package func handle(_ request: AWSRequest) async -> Outcome {
        let requestID = RequestID.make()
        var request = request
        // The signature is read once: its scope helps routing, and authentication checks it.
        let signature = Result { () throws(SigV4FormatError) in try SigV4Authorization.parse(request) }
        let signingService: String?
        switch signature {
        case .success(let parsed): signingService = parsed?.service
        case .failure: signingService = SigV4Scope.service(of: request)
        }
        let routing = Result { () throws(RoutingError) in try router.route(request, signingService: signingService) }
        let wire: WireProtocol
        let namespace: String?
        switch routing {
        case .success(let routed):
            wire = routed.protocol
            namespace = routed.service.xmlNamespace
        case .failure(let failure):
            wire = failure.protocol
            namespace = nil
        }
        var outcome = Outcome(response: AWSResponse(), requestID: requestID)
        do {
            let caller: CallerIdentity
            if case .success(nil) = signature, case .success(let routed) = routing,
                handlers[routed.service.name]?.unsignedOperations.contains(routed.operation.name) == true
            {
                caller = .anonymous
            } else {
                caller = try authenticator.authenticate(&request, signature: signature, protocol: wire)
            }
            let routed: RoutedOperation
            switch routing {
            case .success(let value): routed = value
            case .failure(let failure): throw failure.error
            }
            outcome.service = routed.service.name
            outcome.operation = routed.operation.name
            // Decode first: a malformed request is the caller's error even for an operation Nimbus lacks.
            try await StreamedBody.prepare(&request, for: routed)
            let input = try RequestDecoder.decodeInput(routed, request: request)
            guard let handler = handlers[routed.service.name], handler.implementedOperations.contains(routed.operation.name) else {
                throw AWSError.notImplemented(service: routed.service.name, operation: routed.operation.name)
            }
            let context = RequestContext(requestID: requestID, account: account, caller: caller, request: request)
            let call = OperationCall(service: routed.service, operation: routed.operation, input: input, context: context)
            switch try await handler.perform(call) {
            case .output(let value):
                outcome.response = try ResponseEncoder.encode(value, for: routed, requestID: requestID)
            case .streamed(let value, let status, let body, let length):
                var response = try ResponseEncoder.encode(value, for: routed, requestID: requestID)
                if let status { response.status = status }
                response.bodyStream = body
                response.bodyStreamLength = length
                outcome.response = response
            case .empty:
                outcome.response = try ResponseEncoder.encode(.object([:]), for: routed, requestID: requestID)
            case .response(var response):
                ResponseEncoder.stampRequestID(&response, requestID)
                outcome.response = response
            }
        } catch let error as AWSError {
            outcome.errorCode = error.code
            outcome.response = ErrorEncoder.encode(error, protocol: wire, requestID: requestID, xmlNamespace: namespace)
        } catch {
            let failure = AWSError.internalFailure()
            outcome.errorCode = failure.code
            outcome.response = ErrorEncoder.encode(failure, protocol: wire, requestID: requestID, xmlNamespace: namespace)
        }
        return outcome
    }
}
