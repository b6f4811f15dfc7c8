import NimbusAPIGateway
import NimbusStore
import NimbusWire

extension Platform {
    /// The edge's own routes, in priority order: the first that claims a request and answers
    /// it wins; the rest of the requests go to the AWS protocol dispatch. Add an endpoint here.
    func edgeEndpoints() -> [any EdgeEndpoint] {
        [
            GatewayEndpoint(gateway: apigateway.gateway),
            HealthEndpoint(
                started: .now,
                storeKind: "sqlite",
                storeLocation: store.location,
                services: pipeline.serviceNames,
                account: configuration.account
            ),
            FunctionsEndpoint(lambda: lambda),
            CodeDownloadEndpoint(blobs: blobs),
            SigningCertificateEndpoint(sns: sns),
            WebsiteEndpoint(s3: s3),
            CORSPreflightEndpoint(s3: s3),
        ]
    }

    /// The edge's responder: its own endpoints, then the AWS pipeline.
    func edgeResponder() -> EdgeResponder {
        EdgeResponder(endpoints: edgeEndpoints(), pipeline: pipeline, s3: s3, maxBodySize: configuration.maxBodySize)
    }
}
