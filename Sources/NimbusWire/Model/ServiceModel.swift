/// One AWS service's API as botocore's `service-2.json` describes it
/// (documentation stripped by `scripts/codegen`).
package struct ServiceModel: Sendable, Decodable {
    package let metadata: Metadata
    package let operations: [String: OperationModel]
    package let shapes: [String: Shape]

    package struct Metadata: Sendable, Decodable {
        package let apiVersion: String
        package let `protocol`: String
        package let protocols: [String]?
        package let targetPrefix: String?
        package let jsonVersion: String?
        package let signingName: String?
        package let endpointPrefix: String
        package let xmlNamespace: String?
        package let serviceId: String?
    }

    /// The shape named `name`.
    /// - Throws: `AWSError.internalFailure` when the model does not define it (a codegen bug).
    package func shape(named name: String) throws(WireError) -> Shape {
        guard let shape = shapes[name] else { throw WireError(.modelInconsistent, "shape \(name) is not in the model") }
        return shape
    }
}

/// An operation: its HTTP binding and the shapes of its input, output and errors.
package struct OperationModel: Sendable, Decodable {
    package let name: String
    package let http: HTTPBinding
    package let input: ShapeReference?
    package let output: ShapeReference?
    package let errors: [ShapeReference]?
    /// Whether botocore marks the operation deprecated (e.g. S3 `PutBucketNotification`,
    /// replaced by `PutBucketNotificationConfiguration` on the same route).
    package let deprecated: Bool?

    package struct HTTPBinding: Sendable, Decodable {
        package let method: String
        package let requestUri: String
        package let responseCode: Int?
    }
}

/// A use of a shape: by a member, an operation's input or output, or a list/map element,
/// with the serialization traits of that use. A class, like `Shape`: the codecs walk members
/// for every request, and a reference costs one retain where a copy of its fields cost a dozen.
package final class ShapeReference: Sendable, Decodable {
    package let shape: String
    /// `uri`, `querystring`, `header`, `headers`, `statusCode`, or `nil` for the body.
    package let location: String?
    package let locationName: String?
    /// The name in the query protocol, for services that moved from query to JSON (SQS) and
    /// still answer query: written by `scripts/codegen`, not botocore; JSON ignores it.
    package let queryName: String?
    package let flattened: Bool?
    package let xmlAttribute: Bool?
    package let xmlNamespace: XMLNamespace?
    package let jsonvalue: Bool?
    package let timestampFormat: String?
    package let resultWrapper: String?
    package let hostLabel: Bool?
    package let idempotencyToken: Bool?
    /// The member is a streaming payload (S3 object bodies).
    package let streaming: Bool?
}

/// An XML namespace declaration from the model.
package struct XMLNamespace: Sendable, Decodable {
    package let uri: String?
    package let prefix: String?
}

/// A shape: a structure, list, map or scalar type. Immutable and shared (a class), so that
/// looking one up for every member of every request does not copy seventeen fields.
package final class Shape: Sendable, Decodable {
    package let type: ShapeType
    package let members: [String: ShapeReference]?
    package let required: [String]?
    package let payload: String?
    package let member: ShapeReference?
    package let key: ShapeReference?
    package let value: ShapeReference?
    package let flattened: Bool?
    package let locationName: String?
    package let xmlNamespace: XMLNamespace?
    package let error: ErrorTrait?
    package let exception: Bool?
    package let timestampFormat: String?
    package let streaming: Bool?
    package let document: Bool?
    package let min: Double?
    package let max: Double?

    package struct ErrorTrait: Sendable, Decodable {
        package let code: String?
        package let httpStatusCode: Int?
        package let senderFault: Bool?
    }

    /// A copy of `shape` without its `required` list.
    init(stripping shape: Shape) {
        type = shape.type
        members = shape.members
        required = nil
        payload = shape.payload
        member = shape.member
        key = shape.key
        value = shape.value
        flattened = shape.flattened
        locationName = shape.locationName
        xmlNamespace = shape.xmlNamespace
        error = shape.error
        exception = shape.exception
        timestampFormat = shape.timestampFormat
        streaming = shape.streaming
        document = shape.document
        min = shape.min
        max = shape.max
    }
}

/// The type of a shape as botocore names it.
package enum ShapeType: String, Sendable, Decodable {
    case structure, list, map, string, integer, long, float, double, boolean, blob, timestamp, bigdecimal, biginteger
    case byte, short
}
