import Foundation
import HTTPTypes
import NimbusCore
import NimbusStore
package import NimbusWire

/// Put/Get/DeleteBucketWebsite, and the website endpoint: the edge hands website requests
/// (see `WebsiteSettings.target`) to `website`, which answers as S3's website endpoint does,
/// with HTML errors instead of XML.
extension S3Service {
    package func putBucketWebsite(_ input: S3Shapes.PutBucketWebsiteRequest, context: RequestContext) async throws {
        let configuration = input.websiteConfiguration
        if configuration.routingRules?.isEmpty == false {
            throw AWSError.notImplemented(service: "s3", operation: "PutBucketWebsite with RoutingRules")
        }
        let settings = WebsiteSettings(
            indexSuffix: configuration.indexDocument?.suffix,
            errorKey: configuration.errorDocument?.key,
            redirectHost: configuration.redirectAllRequestsTo?.hostName,
            redirectProtocol: configuration.redirectAllRequestsTo?.protocol
        )
        try settings.validate()
        try await store.setBucketSetting(.website, bucket: input.bucket, value: try S3Store.encode(settings))
    }

    package func getBucketWebsite(_ input: S3Shapes.GetBucketWebsiteRequest, context: RequestContext) async throws -> S3Shapes.GetBucketWebsiteOutput
    {
        guard let settings = S3Store.decode(WebsiteSettings.self, try await store.bucketSetting(.website, bucket: input.bucket)) else {
            throw Self.noSuchWebsiteConfiguration(input.bucket)
        }
        return S3Shapes.GetBucketWebsiteOutput(
            errorDocument: settings.errorKey.map { S3Shapes.ErrorDocument(key: $0) },
            indexDocument: settings.indexSuffix.map { S3Shapes.IndexDocument(suffix: $0) },
            redirectAllRequestsTo: settings.redirectHost.map { S3Shapes.RedirectAllRequestsTo(hostName: $0, protocol: settings.redirectProtocol) }
        )
    }

    package func deleteBucketWebsite(_ input: S3Shapes.DeleteBucketWebsiteRequest, context: RequestContext) async throws {
        try await store.setBucketSetting(.website, bucket: input.bucket, value: nil)
    }

    static func noSuchWebsiteConfiguration(_ bucket: String) -> AWSError {
        AWSError(
            code: "NoSuchWebsiteConfiguration",
            status: 404,
            message: "The specified bucket does not have a website configuration",
            details: ["BucketName": bucket]
        )
    }

    /// Answers a website-endpoint request for `path` (URL-encoded, no leading slash) of `bucket`.
    package func website(_ request: AWSRequest, bucket: String, path: String) async -> AWSResponse {
        let requestID = RequestID.make()
        guard request.method == .get || request.method == .head else {
            return Self.htmlError(
                405,
                "Method Not Allowed",
                code: "MethodNotAllowed",
                message: "The specified method is not allowed against this resource.",
                requestID: requestID
            )
        }
        let settings: WebsiteSettings
        do {
            guard let stored = S3Store.decode(WebsiteSettings.self, try await store.bucketSetting(.website, bucket: bucket)) else {
                return Self.htmlError(
                    404,
                    "Not Found",
                    code: "NoSuchWebsiteConfiguration",
                    message: "The specified bucket does not have a website configuration",
                    requestID: requestID,
                    extra: ["BucketName": bucket]
                )
            }
            settings = stored
        } catch {
            return Self.htmlError(
                404,
                "Not Found",
                code: "NoSuchBucket",
                message: "The specified bucket does not exist",
                requestID: requestID,
                extra: ["BucketName": bucket]
            )
        }
        if let host = settings.redirectHost {
            var response = AWSResponse(status: 301)
            response.setHeader("Location", "\(settings.redirectProtocol ?? "http")://\(host)/\(path)")
            return response
        }
        let suffix = settings.indexSuffix ?? "index.html"
        let decoded = FormEncoding.percentDecode(path) ?? path
        let key = decoded.isEmpty || decoded.hasSuffix("/") ? decoded + suffix : decoded
        if let record = try? await store.object(bucket, key), let response = await serve(record, status: 200, head: request.method == .head) {
            return response
        }
        // `folder` without its slash: redirect to `folder/` when it has an index document.
        if !decoded.isEmpty, !decoded.hasSuffix("/"), (try? await store.object(bucket, decoded + "/" + suffix)) != nil {
            var response = AWSResponse(status: 302)
            let base = request.path.hasPrefix(WebsiteSettings.pathPrefix) ? WebsiteSettings.pathPrefix + bucket + "/" : "/"
            response.setHeader("Location", base + path + "/")
            return response
        }
        if let errorKey = settings.errorKey, let record = try? await store.object(bucket, errorKey),
            let response = await serve(record, status: 404, head: request.method == .head)
        {
            return response
        }
        return Self.htmlError(
            404,
            "Not Found",
            code: "NoSuchKey",
            message: "The specified key does not exist.",
            requestID: requestID,
            extra: ["Key": key]
        )
    }

    private func serve(_ record: ObjectRecord, status: Int, head: Bool) async -> AWSResponse? {
        guard let body = (try? await openBody(record)) ?? nil else { return nil }
        var response = AWSResponse(status: status)
        response.setHeader("Content-Type", record.headers.contentType ?? "binary/octet-stream")
        response.setHeader("ETag", record.eTag)
        response.setHeader("Last-Modified", Timestamp.httpDate(record.lastModified))
        if let cacheControl = record.headers.cacheControl { response.setHeader("Cache-Control", cacheControl) }
        if let encoding = record.headers.contentEncoding { response.setHeader("Content-Encoding", encoding) }
        response.setHeader("Content-Length", String(record.size))
        if !head {
            response.bodyStream = body.stream(from: 0, count: record.size)
            response.bodyStreamLength = record.size
        }
        return response
    }

    static func htmlError(
        _ status: Int,
        _ title: String,
        code: String,
        message: String,
        requestID: String,
        extra: [String: String] = [:]
    ) -> AWSResponse {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var items = "<li>Code: \(escape(code))</li>\n<li>Message: \(escape(message))</li>\n"
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) { items += "<li>\(escape(name)): \(escape(value))</li>\n" }
        items += "<li>RequestId: \(requestID)</li>\n"
        let html =
            "<html>\n<head><title>\(status) \(title)</title></head>\n<body>\n<h1>\(status) \(title)</h1>\n<ul>\n\(items)</ul>\n<hr/>\n</body>\n</html>\n"
        var response = AWSResponse(status: status, body: Array(html.utf8))
        response.setHeader("Content-Type", "text/html; charset=utf-8")
        response.setHeader("x-amz-request-id", requestID)
        return response
    }
}
