package import NimbusCore

/// Renders an `AWSError` in the shape each protocol's clients parse.
///
/// - awsJson / restJson1: `{"__type": code, "message": …}` and `x-amzn-ErrorType`; with a
///   `queryCode`, also `x-amzn-query-error: <queryCode>;Sender|Receiver` (botocore reads it
///   for services marked `awsQueryCompatible`).
/// - query (the `queryCode` when there is one): `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
/// - restXml (S3): `<Error><Code/><Message/><RequestId/></Error>`.
/// - RPC v2 CBOR: a CBOR map with `__type` and `message`.
///
/// The error's `headers` are set on the response whatever the protocol.
package enum ErrorEncoder {
    package static func encode(_ error: AWSError, protocol wire: WireProtocol, requestID: String, xmlNamespace: String? = nil) -> AWSResponse {
        var response = AWSResponse(status: error.status)
        switch wire {
        case .awsJson1_0, .awsJson1_1, .restJson1:
            var members: [String: JSONValue] = error.details.mapValues { .string($0) }
            members["__type"] = .string(error.code)
            members["message"] = .string(error.message)
            let body: JSONValue = .object(members)
            response.body = JSONWriter.encode(body)
            response.setHeader("x-amzn-ErrorType", error.code)
            if let queryCode = error.queryCode {
                response.setHeader("x-amzn-query-error", "\(queryCode);\(error.senderFault ? "Sender" : "Receiver")")
            }
            switch wire {
            case .awsJson1_0: response.setHeader("Content-Type", "application/x-amz-json-1.0")
            case .awsJson1_1: response.setHeader("Content-Type", "application/x-amz-json-1.1")
            default: response.setHeader("Content-Type", "application/json")
            }
        case .query:
            var root = XMLElement(name: "ErrorResponse")
            if let xmlNamespace { root.attributes["xmlns"] = xmlNamespace }
            root.children = [
                XMLElement(
                    name: "Error",
                    children: [
                        XMLElement(name: "Type", text: error.senderFault ? "Sender" : "Receiver"),
                        XMLElement(name: "Code", text: error.queryCode ?? error.code),
                        XMLElement(name: "Message", text: error.message),
                    ] + detailElements(error)
                ),
                XMLElement(name: "RequestId", text: requestID),
            ]
            response.body = XMLWriter.document(root)
            response.setHeader("Content-Type", "text/xml")
        case .restXml:
            let root = XMLElement(
                name: "Error",
                children: [
                    XMLElement(name: "Code", text: error.code),
                    XMLElement(name: "Message", text: error.message),
                ] + detailElements(error) + [XMLElement(name: "RequestId", text: requestID)]
            )
            response.body = XMLWriter.document(root)
            response.setHeader("Content-Type", "application/xml")
        case .rpcV2CBOR:
            response.body = CBORText.map(error.details.merging(["__type": error.code, "message": error.message]) { _, own in own })
            response.setHeader("Content-Type", "application/cbor")
            response.setHeader("smithy-protocol", "rpc-v2-cbor")
        }
        for name in error.headers.keys.sorted() { response.setHeader(name, error.headers[name] ?? "") }
        ResponseEncoder.stampRequestID(&response, requestID)
        return response
    }

    /// The error's further members as XML elements, in name order.
    private static func detailElements(_ error: AWSError) -> [XMLElement] {
        error.details.keys.sorted().map { XMLElement(name: $0, text: error.details[$0] ?? "") }
    }
}

/// Just enough CBOR (RFC 8949) to write a map of text strings, for RPC v2 CBOR errors.
enum CBORText {
    static func map(_ entries: [String: String]) -> [UInt8] {
        var bytes = header(major: 5, count: entries.count)
        for key in entries.keys.sorted() {
            bytes += text(key) + text(entries[key]!)
        }
        return bytes
    }

    private static func text(_ value: String) -> [UInt8] {
        header(major: 3, count: value.utf8.count) + Array(value.utf8)
    }

    private static func header(major: UInt8, count: Int) -> [UInt8] {
        let type = major << 5
        switch count {
        case 0..<24: return [type | UInt8(count)]
        case 24..<256: return [type | 24, UInt8(count)]
        case 256..<65_536: return [type | 25, UInt8(count >> 8), UInt8(count & 0xFF)]
        default: return [type | 26] + withUnsafeBytes(of: UInt32(count).bigEndian) { Array($0) }
        }
    }
}
