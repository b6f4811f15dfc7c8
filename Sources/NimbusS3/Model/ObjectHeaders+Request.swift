/// The request members an object's stored headers come from: PutObject, CopyObject (with
/// `x-amz-metadata-directive: REPLACE`) and CreateMultipartUpload carry the same ones.
protocol ObjectHeaderFields {
    var contentType: String? { get }
    var contentEncoding: String? { get }
    var contentDisposition: String? { get }
    var contentLanguage: String? { get }
    var cacheControl: String? { get }
    var expires: String? { get }
    var metadata: [String: String]? { get }
}

extension S3Shapes.PutObjectRequest: ObjectHeaderFields {}
extension S3Shapes.CopyObjectRequest: ObjectHeaderFields {}
extension S3Shapes.CreateMultipartUploadRequest: ObjectHeaderFields {}

extension ObjectHeaders {
    /// The headers a request gives a new object: its representation headers and
    /// `x-amz-meta-*`, with S3's default `Content-Type` (`binary/octet-stream`) when it sends none.
    /// - Parameter tags: a multipart upload's `x-amz-tagging`, kept until completion.
    init(request: some ObjectHeaderFields, tags: [ObjectTag]? = nil) {
        self.init(
            contentType: request.contentType ?? "binary/octet-stream",
            contentEncoding: request.contentEncoding,
            contentDisposition: request.contentDisposition,
            contentLanguage: request.contentLanguage,
            cacheControl: request.cacheControl,
            expires: request.expires,
            metadata: request.metadata ?? [:],
            tags: tags
        )
    }
}
