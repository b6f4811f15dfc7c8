import HTTPTypes
import Hummingbird
import NIOCore
import NimbusSNS

/// SNS's signing certificate, served at the `SigningCertURL` its message envelopes carry so
/// subscribers can verify their signatures.
struct SigningCertificateEndpoint: EdgeEndpoint {
    let sns: SNSService

    func claims(_ request: EdgeRequest) -> Bool {
        request.method == .get && sns.signingCertificate(forRequestTarget: request.target) != nil
    }

    func respond(to request: EdgeRequest) async throws -> Response? {
        guard let certificate = sns.signingCertificate(forRequestTarget: request.target) else { return nil }
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-pem-file"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: certificate))
        )
    }
}
