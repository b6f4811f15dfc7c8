import Hummingbird
import NimbusS3

/// Browsers' CORS preflights (`OPTIONS`) to an existing bucket, answered from its CORS
/// rules. A preflight to no bucket, or to one that does not exist, goes on to the AWS dispatch.
struct CORSPreflightEndpoint: EdgeEndpoint {
    let s3: S3Service

    func claims(_ request: EdgeRequest) -> Bool {
        request.method == .options
    }

    func respond(to request: EdgeRequest) async throws -> Response? {
        await s3.preflight(request.head).map(Response.init)
    }
}
