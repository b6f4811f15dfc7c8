/// S3's two ways of naming a bucket: in the path (`/bucket/key`) or in the host
/// (`bucket.s3.localhost:4566/key`, AWS's `bucket.s3.us-east-1.amazonaws.com/key`).
/// Routing works on the path-style form; SigV4 keeps signing the path as sent.
package enum S3Addressing {
    /// The bucket named by the `Host` header of a virtual-hosted-style request, if any:
    /// everything before the first `.s3.` (or `.s3-`) label of the host name.
    package static func bucket(fromHost host: String?) -> String? {
        (HostName.split(host, at: ".s3.") ?? HostName.split(host, at: ".s3-"))?.before
    }

    /// The request's path in path style: `/bucket` prefixed when the host names the bucket.
    package static func pathStyle(_ request: AWSRequest) -> String {
        guard let bucket = request.hostBucket else { return request.path }
        return request.path == "/" ? "/" + bucket : "/" + bucket + request.path
    }
}
