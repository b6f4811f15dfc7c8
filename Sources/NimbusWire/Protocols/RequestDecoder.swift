package import NimbusCore

/// Turns a routed request into the operation's input `WireValue`, whatever the protocol.
package enum RequestDecoder {
    /// The input of `routed`, checked against the model (types and required members).
    /// - Throws: AWS's error for the protocol (`SerializationException`, `ValidationException`,
    ///   `MalformedXML`, `ValidationError`…) naming the member at fault.
    package static func decodeInput(_ routed: RoutedOperation, request: AWSRequest) throws(AWSError) -> WireValue {
        do throws(WireError) {
            guard let input = routed.operation.input else { return .object([:]) }
            switch routed.protocol {
            case .awsJson1_0, .awsJson1_1:
                try checkJSONMediaType(request)
                guard !request.body.isEmpty else {
                    try ShapeScalars.checkRequired(try routed.model.shape(named: input.shape), [:], path: "")
                    return .object([:])
                }
                return try JSONShapeCodec(model: routed.model).read(JSONParser.parse(request.body), shape: input.shape, path: "")
            case .query:
                var parameters = routed.queryParameters ?? []
                if routed.queryParameters == nil { parameters = try queryParameters(of: request) }
                return try QueryShapeReader(model: routed.model, parameters: parameters).readInput(shape: input.shape)
            case .restJson1, .restXml:
                return try RESTInputReader(routed: routed, request: request).read(shape: input.shape)
            case .rpcV2CBOR:
                throw WireError(.malformedBody, "Nimbus does not decode RPC v2 CBOR bodies yet; use the JSON or query protocol")
            }
        } catch {
            throw ProtocolErrors.awsError(for: error, protocol: routed.protocol)
        }
    }

    private static func queryParameters(of request: AWSRequest) throws(WireError) -> [(name: String, value: String)] {
        var parameters = request.queryItems
        if request.mediaType == "application/x-www-form-urlencoded" {
            guard let form = String(validating: request.body, as: UTF8.self) else {
                throw WireError(.malformedBody, "The form body is not valid UTF-8")
            }
            parameters += FormEncoding.decode(form)
        } else if !request.body.isEmpty {
            throw WireError(.malformedBody, "Query requests must be application/x-www-form-urlencoded")
        }
        return parameters
    }

    private static func checkJSONMediaType(_ request: AWSRequest) throws(WireError) {
        guard let type = request.mediaType else { return }
        guard type.hasPrefix("application/x-amz-json-") || type == "application/json" else {
            throw WireError(.malformedBody, "Content-Type \(type) is not accepted; send application/x-amz-json-1.0 or 1.1")
        }
    }
}

/// The AWS error codes each protocol uses for the wire layer's failures.
package enum ProtocolErrors {
    package static func awsError(for error: WireError, protocol wire: WireProtocol) -> AWSError {
        switch (error.code, wire) {
        case (.modelInconsistent, _):
            return .internalFailure()
        case (.malformedBody, .restXml):
            return AWSError(code: "MalformedXML", message: error.message)
        case (.malformedBody, .query):
            return AWSError(code: "MalformedInput", message: error.message)
        case (.invalidValue, .restXml):
            return AWSError(code: "InvalidArgument", message: error.message)
        case (.invalidValue, .query):
            return AWSError(code: "InvalidParameterValue", message: error.message)
        case (.malformedBody, _), (.invalidValue, _):
            return AWSError(code: "SerializationException", message: error.message)
        case (.missingMember, .query):
            return AWSError(code: "ValidationError", message: error.message)
        case (.missingMember, .restXml):
            return AWSError(code: "InvalidRequest", message: error.message)
        case (.missingMember, _):
            return AWSError(code: "ValidationException", message: error.message)
        }
    }
}
