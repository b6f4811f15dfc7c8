import Hummingbird
import NimbusS3
import NimbusWire

/// S3's website endpoint: `/_nimbus/website/<bucket>/…` and website hosts, answered from the
/// bucket's website configuration (index and error documents, redirects).
struct WebsiteEndpoint: EdgeEndpoint {
    let s3: S3Service

    func claims(_ request: EdgeRequest) -> Bool {
        Self.site(of: request) != nil
    }

    func respond(to request: EdgeRequest) async throws -> Response? {
        guard let site = Self.site(of: request) else { return nil }
        return Response(await s3.website(request.head, bucket: site.bucket, path: site.path))
    }

    private static func site(of request: EdgeRequest) -> (bucket: String, path: String)? {
        WebsiteSettings.target(host: request.head.header(.hostHeader), path: request.head.path)
    }
}
