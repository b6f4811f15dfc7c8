import HTTPTypes
import Hummingbird
import NIOCore
import NimbusLambda
import NimbusStore

/// Serves function code packages at the URL `GetFunction` returns as `Code.Location`
/// (`/_nimbus/lambda/code/<digest>.zip`), as AWS serves them from a presigned S3 URL.
struct CodeDownloadEndpoint: EdgeEndpoint {
    let blobs: any BlobStore

    func claims(_ request: EdgeRequest) -> Bool {
        request.method == .get && request.target.hasPrefix(LambdaService.codeLocationPrefix)
    }

    /// The zip, or a 404 for an unknown digest.
    func respond(to request: EdgeRequest) async throws -> Response? {
        let file = request.target.dropFirst(LambdaService.codeLocationPrefix.count).prefix { $0 != "?" }
        let digest = file.hasSuffix(".zip") ? file.dropLast(4) : file
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit),
            let bytes = try await blobs.get(LambdaService.codeBlobKey(digest: String(digest)))
        else {
            return Response(
                status: .notFound,
                headers: [.contentType: "application/xml"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "<Error><Code>NoSuchKey</Code></Error>"))
            )
        }
        return Response(status: .ok, headers: [.contentType: "application/zip"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
