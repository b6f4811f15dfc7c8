import Crypto
import Foundation
import NimbusCore
import NimbusWire
import _CryptoExtras

/// Signs SNS envelopes as AWS does: `SignatureVersion` 1 is SHA1withRSA and 2 is SHA256withRSA
/// over the canonical string of the message's fields, base64-encoded. The key's certificate is
/// what Nimbus serves at `SigningCertURL`.
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
package final class MessageSigner: Sendable {
    private let key: _RSA.Signing.PrivateKey
    /// The PEM of the certificate that verifies this signer's signatures.
    package let certificatePEM: String
    /// The file name of the certificate in `SigningCertURL`, like AWS's `SimpleNotificationService-<hash>.pem`.
    package let certificateFileName: String

    init(privateKeyPEM: String, certificatePEM: String) throws {
        key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        self.certificatePEM = certificatePEM
        let digest = Hex.encode(Insecure.MD5.hash(data: Array(certificatePEM.utf8)))
        certificateFileName = "SimpleNotificationService-\(digest).pem"
    }

    /// A new 2048-bit key and its self-signed certificate (PEMs).
    static func generate(now: Double) throws -> (privateKey: String, certificate: String) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let certificate = try SelfSignedCertificate.pem(for: key, commonName: "sns.nimbus.local", notBefore: now - 86_400, days: 3650)
        return (key.pemRepresentation, certificate)
    }

    /// The base64 signature of `canonical` for signature version `version` ("1" or "2").
    func sign(_ canonical: String, version: String) -> String {
        let data = Array(canonical.utf8)
        let signature: _RSA.Signing.RSASignature?
        if version == "2" {
            signature = try? key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        } else {
            signature = try? key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        }
        return signature.map { Base64.encode(Array($0.rawRepresentation)) } ?? ""
    }
}
