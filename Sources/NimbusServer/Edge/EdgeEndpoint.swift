import Hummingbird

/// A route the edge answers itself, before the AWS protocol dispatch: API Gateway's data
/// plane, `/_nimbus/…`, SNS's signing certificate, S3's website endpoint and CORS preflights.
///
/// The edge asks its endpoints in priority order (`Platform.edgeEndpoints`); the first that
/// claims a request and answers it wins, and a request no endpoint answers goes to the
/// `EdgePipeline`. Adding an endpoint is one type and one line in that list.
protocol EdgeEndpoint: Sendable {
    /// Whether `request` is this endpoint's: a cheap test of method, path and host, made for
    /// every request that reaches this endpoint in the list.
    func claims(_ request: EdgeRequest) -> Bool

    /// The answer to a request this endpoint claimed, or `nil` when, looking closer, it is not
    /// this endpoint's after all (the next endpoints and then the AWS dispatch get it).
    func respond(to request: EdgeRequest) async throws -> Response?
}
