/// The AWS wire protocols Nimbus speaks.
package enum WireProtocol: String, Sendable, Hashable, CaseIterable {
    /// awsJson 1.0: `POST /`, `X-Amz-Target: Prefix.Operation`, `application/x-amz-json-1.0`.
    case awsJson1_0
    /// awsJson 1.1: as 1.0 with `application/x-amz-json-1.1`.
    case awsJson1_1
    /// restJson1: operation bound to method and path; JSON bodies.
    case restJson1
    /// restXml: operation bound to method and path; XML bodies (S3).
    case restXml
    /// AWS query: form-encoded `Action=…&Version=…`; XML responses.
    case query
    /// Smithy RPC v2 CBOR: `POST /service/<Service>/operation/<Operation>`.
    case rpcV2CBOR

    /// Whether bodies are JSON documents.
    package var isJSON: Bool { self == .awsJson1_0 || self == .awsJson1_1 || self == .restJson1 }

    /// Whether the operation is found from the method and path.
    package var isREST: Bool { self == .restJson1 || self == .restXml }
}
