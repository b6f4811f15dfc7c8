import Foundation
import HTTPTypes
import NimbusCore
import NimbusStore
package import NimbusWire

/// Put/Get/DeleteBucketCors, and CORS as browsers meet it: the edge hands S3 preflight
/// (`OPTIONS`) requests to `preflight`, and adds `corsHeaders` to S3 answers to requests
/// that carry an `Origin`.
extension S3Service {
    package func putBucketCors(_ input: S3Shapes.PutBucketCorsRequest, context: RequestContext) async throws {
        let rules = input.corsConfiguration.corsRules.map {
            CORSRule(
                id: $0.id,
                allowedOrigins: $0.allowedOrigins,
                allowedMethods: $0.allowedMethods,
                allowedHeaders: $0.allowedHeaders ?? [],
                exposeHeaders: $0.exposeHeaders ?? [],
                maxAgeSeconds: $0.maxAgeSeconds
            )
        }
        try CORSRule.validate(rules)
        try await store.setBucketSetting(.cors, bucket: input.bucket, value: try S3Store.encode(rules))
    }

    package func getBucketCors(_ input: S3Shapes.GetBucketCorsRequest, context: RequestContext) async throws -> S3Shapes.GetBucketCorsOutput {
        guard let rules = try await corsRules(input.bucket) else {
            throw AWSError(
                code: "NoSuchCORSConfiguration",
                status: 404,
                message: "The CORS configuration does not exist",
                details: ["BucketName": input.bucket]
            )
        }
        return S3Shapes.GetBucketCorsOutput(
            corsRules: rules.map {
                S3Shapes.CORSRule(
                    allowedHeaders: $0.allowedHeaders.isEmpty ? nil : $0.allowedHeaders,
                    allowedMethods: $0.allowedMethods,
                    allowedOrigins: $0.allowedOrigins,
                    exposeHeaders: $0.exposeHeaders.isEmpty ? nil : $0.exposeHeaders,
                    id: $0.id,
                    maxAgeSeconds: $0.maxAgeSeconds
                )
            }
        )
    }

    package func deleteBucketCors(_ input: S3Shapes.DeleteBucketCorsRequest, context: RequestContext) async throws {
        try await store.setBucketSetting(.cors, bucket: input.bucket, value: nil)
    }

    func corsRules(_ bucket: String) async throws -> [CORSRule]? {
        S3Store.decode([CORSRule].self, try await store.bucketSetting(.cors, bucket: bucket))
    }

    /// The answer to a browser's preflight for an S3 resource, or `nil` when the request does
    /// not name an existing bucket (the edge then answers it as any other request).
    package func preflight(_ request: AWSRequest) async -> AWSResponse? {
        guard let bucket = Self.bucket(of: request), let rules = try? await corsRulesIfBucketExists(bucket) else { return nil }
        func forbidden(_ message: String, status: Int = 403, code: String = "AccessForbidden") -> AWSResponse {
            var details: [String: String] = [:]
            if let method = request.header("Access-Control-Request-Method") { details["Method"] = method }
            details["ResourceType"] = "OBJECT"
            let error = AWSError(code: code, status: status, message: message, details: details)
            return ErrorEncoder.encode(error, protocol: .restXml, requestID: RequestID.make())
        }
        guard let origin = request.header("Origin") else {
            return forbidden("Insufficient information. Origin request header needed.", status: 400, code: "BadRequest")
        }
        guard let method = request.header("Access-Control-Request-Method") else {
            return forbidden("Invalid Access-Control-Request-Method: null", status: 400, code: "BadRequest")
        }
        guard let rules else { return forbidden("CORSResponse: CORS is not enabled for this bucket.") }
        let requested = Self.requestedHeaders(request)
        guard let rule = CORSRule.firstMatch(rules, origin: origin, method: method, headers: requested) else {
            return forbidden(
                "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / "
                    + "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
            )
        }
        var response = AWSResponse(status: 200)
        for (name, value) in rule.responseHeaders(origin: origin, requestedHeaders: requested, preflight: true) { response.setHeader(name, value) }
        response.setHeader("x-amz-request-id", RequestID.make())
        return response
    }

    /// Adds the CORS headers of the first rule allowing `request` (which carries an `Origin`) to `response`.
    package func addCORSHeaders(for request: AWSRequest, to response: inout AWSResponse) async {
        guard let origin = request.header("Origin"), let bucket = Self.bucket(of: request),
            let rules = try? await corsRules(bucket),
            let rule = CORSRule.firstMatch(rules, origin: origin, method: request.method.rawValue, headers: [])
        else { return }
        for (name, value) in rule.responseHeaders(origin: origin, requestedHeaders: [], preflight: false) { response.setHeader(name, value) }
    }

    /// `nil` when the bucket does not exist; `.some(nil)` when it has no CORS configuration.
    private func corsRulesIfBucketExists(_ bucket: String) async throws -> [CORSRule]?? {
        do {
            return .some(try await corsRules(bucket))
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            return nil
        }
    }

    /// The bucket a path-style or virtual-hosted-style request names.
    static func bucket(of request: AWSRequest) -> String? {
        let path = S3Addressing.pathStyle(request).dropFirst()
        let bucket = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return bucket.isEmpty ? nil : bucket
    }

    private static func requestedHeaders(_ request: AWSRequest) -> [String] {
        (request.header("Access-Control-Request-Headers") ?? "").split(separator: ",").map { $0.trimming(" ").lowercased() }.filter { !$0.isEmpty }
    }
}
