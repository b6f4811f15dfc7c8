package import NimbusCore

/// What a service knows of the request it is answering.
package struct RequestContext: Sendable {
    package var requestID: String
    package var account: AccountContext
    package var caller: CallerIdentity
    /// The request as received (after `aws-chunked` decoding), for the `Host` header and raw bytes.
    package var request: AWSRequest

    package init(requestID: String, account: AccountContext, caller: CallerIdentity, request: AWSRequest) {
        self.requestID = requestID
        self.account = account
        self.caller = caller
        self.request = request
    }
}

/// One operation call, decoded and ready for its service.
package struct OperationCall: Sendable {
    package var service: ServiceDescriptor
    package var operation: OperationModel
    package var input: WireValue
    package var context: RequestContext

    package init(service: ServiceDescriptor, operation: OperationModel, input: WireValue, context: RequestContext) {
        self.service = service
        self.operation = operation
        self.input = input
        self.context = context
    }

    /// The input as the generated shape `type`.
    /// - Throws: `AWSError` `SerializationException` if the input does not fit (a model mismatch).
    package func decodeInput<T: WireDecodable>(_ type: T.Type) throws(AWSError) -> T {
        do {
            return try T(wire: input, path: "")
        } catch {
            throw AWSError(code: "SerializationException", message: "The input of \(operation.name) does not fit its shape: \(error)")
        }
    }

    /// Wraps a generated output shape and its streaming payload as the call's result.
    package func encodeStreamingOutput(_ output: StreamingOutput<some WireEncodable>) -> OperationResult {
        .streamed(output.output.wire, status: output.status, body: output.body, length: output.length)
    }

    /// Wraps a generated output shape as the call's result.
    package func encodeOutput(_ output: some WireEncodable) -> OperationResult {
        .output(output.wire)
    }
}

/// The output of an operation whose payload streams: the output members (headers) and the body.
package struct StreamingOutput<Output: Sendable>: Sendable {
    package var output: Output
    /// The payload, or `nil` for none (HEAD-like answers, 304).
    package var body: ByteStream?
    /// The payload's length in bytes, sent as `Content-Length`.
    package var length: Int?
    /// The HTTP status when it differs from the model's (206 Partial Content).
    package var status: Int?

    package init(_ output: Output, body: ByteStream?, length: Int?, status: Int? = nil) {
        self.output = output
        self.body = body
        self.length = length
        self.status = status
    }
}

/// What an operation produced.
package enum OperationResult: Sendable {
    /// An output value, serialized by the protocol.
    case output(WireValue)
    /// No output members.
    case empty
    /// An output whose payload streams (S3 GetObject): the members go to headers, `body` is
    /// sent as it is read; `status` replaces the modelled one (206 for a range).
    case streamed(WireValue, status: Int?, body: ByteStream?, length: Int?)
    /// A response the service built itself (streaming downloads, redirects).
    case response(AWSResponse)
}

/// A service as the edge sees it: a name and the operations it answers.
package protocol ServiceHandler: Sendable {
    /// botocore's name of the service, e.g. `sts`.
    var serviceName: String { get }
    /// The operations answered; the rest of the model's operations get 501.
    var implementedOperations: Set<String> { get }
    /// Operations AWS answers without a signature even where signatures are required (SNS's
    /// `ConfirmSubscription` and `Unsubscribe`, opened from the links in its messages).
    var unsignedOperations: Set<String> { get }
    func perform(_ call: OperationCall) async throws -> OperationResult
}

extension ServiceHandler {
    package var unsignedOperations: Set<String> { [] }
}
