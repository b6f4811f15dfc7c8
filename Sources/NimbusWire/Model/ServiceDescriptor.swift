/// What the edge needs to know of a service before loading its model:
/// how to recognise its requests.
package struct ServiceDescriptor: Sendable, Hashable {
    /// botocore's service name, also the name of the model file (e.g. `sqs`, `apigatewayv2`).
    package let name: String
    /// The protocols the service accepts, preferred first.
    package let protocols: [WireProtocol]
    /// The `X-Amz-Target` prefix of awsJson services, e.g. `AmazonSQS`.
    package let targetPrefix: String?
    /// The SigV4 credential-scope service name, e.g. `sqs`, `s3`, `monitoring`.
    package let signingName: String
    /// The API version, sent as `Version=` by query clients.
    package let apiVersion: String
    /// The service id in the smithy RPC v2 path (`/service/<id>/…`), when it speaks CBOR.
    package let rpcServiceName: String?
    /// The namespace of query-protocol XML responses.
    package let xmlNamespace: String?

    package init(
        name: String,
        protocols: [WireProtocol],
        targetPrefix: String?,
        signingName: String,
        apiVersion: String,
        rpcServiceName: String?,
        xmlNamespace: String?
    ) {
        self.name = name
        self.protocols = protocols
        self.targetPrefix = targetPrefix
        self.signingName = signingName
        self.apiVersion = apiVersion
        self.rpcServiceName = rpcServiceName
        self.xmlNamespace = xmlNamespace
    }
}
