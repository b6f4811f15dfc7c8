import HTTPTypes
package import NimbusCore

/// Turns an operation's output `WireValue` into the protocol's HTTP response.
package enum ResponseEncoder {
    /// The response for `output` of `routed`; every response carries the request id.
    /// - Throws: `AWSError.internalFailure` if the output does not fit the model (a service bug).
    package static func encode(_ output: WireValue, for routed: RoutedOperation, requestID: String) throws(AWSError) -> AWSResponse {
        do throws(WireError) {
            var response: AWSResponse
            switch routed.protocol {
            case .awsJson1_0, .awsJson1_1:
                let body = try routed.operation.output.map { (output_) throws(WireError) in
                    try JSONShapeCodec(model: routed.model).write(output, shape: output_.shape)
                }
                response = AWSResponse(body: body ?? Array("{}".utf8))
                response.setHeader("Content-Type", routed.protocol == .awsJson1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1")
            case .query:
                response = try queryResponse(output, routed: routed, requestID: requestID)
            case .restJson1, .restXml:
                response = try RESTOutputWriter(routed: routed).write(output)
            case .rpcV2CBOR:
                throw WireError(.modelInconsistent, "RPC v2 CBOR responses are not supported")
            }
            stampRequestID(&response, requestID)
            return response
        } catch {
            throw ProtocolErrors.awsError(for: error, protocol: routed.protocol)
        }
    }

    private static func queryResponse(_ output: WireValue, routed: RoutedOperation, requestID: String) throws(WireError) -> AWSResponse {
        let root = "\(routed.operation.name)Response"
        var writer = XMLWriter()
        writer.open(root, attributes: routed.service.xmlNamespace.map { [("xmlns", $0)] } ?? [])
        if let reference = routed.operation.output {
            let wrapper = reference.resultWrapper ?? "\(routed.operation.name)Result"
            writer.open(wrapper)
            try XMLShapeCodec(model: routed.model).writeMembers(output, shape: try routed.model.shape(named: reference.shape), into: &writer)
            writer.close(wrapper)
        }
        writer.open("ResponseMetadata")
        writer.element("RequestId", text: requestID)
        writer.close("ResponseMetadata")
        writer.close(root)
        var response = AWSResponse(body: writer.bytes)
        response.headers[.contentType] = "text/xml"
        return response
    }

    /// Adds the request-id headers every AWS response carries.
    package static func stampRequestID(_ response: inout AWSResponse, _ requestID: String) {
        response.headers[requestIDField] = requestID
        response.headers[s3RequestIDField] = requestID
    }

    private static let requestIDField = HTTPField.Name("x-amzn-RequestId")!
    private static let s3RequestIDField = HTTPField.Name("x-amz-request-id")!
}

/// restJson1 / restXml outputs: members bound to headers and the status code, the payload
/// member or the remaining members as the body.
struct RESTOutputWriter {
    let routed: RoutedOperation

    func write(_ output: WireValue) throws(WireError) -> AWSResponse {
        var response = AWSResponse(status: routed.operation.http.responseCode ?? 200)
        guard let reference = routed.operation.output else { return response }
        let model = routed.model
        let shape = try model.shape(named: reference.shape)
        let members = output.objectValue ?? [:]
        let references = shape.members ?? [:]
        // The output's members, usually a few, rather than the shape's (GetObject's has 43).
        for (name, value) in members {
            guard let memberReference = references[name] else { continue }
            switch memberReference.location {
            case "header":
                let memberShape = try model.shape(named: memberReference.shape)
                response.setHeader(memberReference.locationName ?? name, headerText(value, shape: memberShape, reference: memberReference))
            case "headers":
                for (key, entry) in value.objectValue ?? [:] {
                    response.setHeader((memberReference.locationName ?? "") + key, ShapeScalars.text(entry, format: nil))
                }
            case "statusCode":
                if case .integer(let status) = value { response.status = Int(status) }
            default:
                continue
            }
        }
        if let payload = shape.payload, let payloadReference = shape.members?[payload] {
            let payloadShape = try model.shape(named: payloadReference.shape)
            switch members[payload] {
            case .blob(let bytes)?:
                response.body = bytes
            case .string(let text)?:
                response.body = Array(text.utf8)
            case let value?:
                response.body = try body(
                    value,
                    shape: payloadShape,
                    rootName: payloadReference.locationName ?? payloadReference.shape,
                    reference: payloadReference
                )
            case nil:
                break
            }
        } else if routed.service.name == "s3", routed.operation.name == "GetBucketLocation" {
            // S3's one output whose member is the root element itself (botocore parses it by hand).
            var writer = XMLWriter()
            writer.open("LocationConstraint", attributes: [("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/")])
            if case .string(let region)? = members["LocationConstraint"] { writer.text(region) }
            writer.close("LocationConstraint")
            response.body = writer.bytes
        } else if (shape.members ?? [:]).contains(where: { $0.value.location == nil }) {
            response.body = try body(output, shape: shape, rootName: shape.locationName ?? reference.shape, reference: reference)
        }
        return response
    }

    private func body(_ value: WireValue, shape: Shape, rootName: String, reference: ShapeReference) throws(WireError) -> [UInt8] {
        if routed.protocol == .restXml {
            var writer = XMLWriter()
            try XMLShapeCodec(model: routed.model).write(value, name: rootName, shape: shape, reference: reference, into: &writer)
            return writer.bytes
        }
        return try JSONShapeCodec(model: routed.model).write(value, shape: shape, reference: nil)
    }

    private func headerText(_ value: WireValue, shape: Shape, reference: ShapeReference) -> String {
        switch value {
        case .list(let elements): elements.map { ShapeScalars.text($0, format: nil) }.joined(separator: ",")
        case .string(let text) where reference.jsonvalue == true: Base64.encode(Array(text.utf8))
        case .timestamp: ShapeScalars.text(value, format: reference.timestampFormat ?? "rfc822")
        default: ShapeScalars.text(value, format: reference.timestampFormat)
        }
    }
}
