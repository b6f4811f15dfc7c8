import Foundation
import HTTPTypes

/// The parts of a SigV4 signature, from an `Authorization` header or a presigned URL.
///
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
package struct SigV4Authorization: Sendable, Hashable {
    package var accessKeyID: String
    /// `yyyymmdd` of the credential scope.
    package var scopeDate: String
    package var region: String
    package var service: String
    /// `SignedHeaders` as sent: lower-case names joined by `;`.
    package var signedHeadersList: String
    /// Lower-case hex HMAC-SHA256.
    package var signature: String
    /// `X-Amz-Date` (`yyyymmddThhmmssZ`) or the `Date` header's value.
    package var requestDate: String
    /// For presigned URLs: seconds the URL is valid for (`X-Amz-Expires`).
    package var expires: Int?

    /// The signed header names, lower-cased, in the order given (SigV4 requires them sorted).
    package var signedHeaders: [String] { signedHeadersList.split(separator: ";").map { $0.lowercased() } }

    /// `yyyymmdd/region/service/aws4_request`.
    package var scope: String { "\(scopeDate)/\(region)/\(service)/aws4_request" }
    package var isPresigned: Bool { expires != nil }
}

/// Why a request's signature parts could not be read.
package struct SigV4FormatError: Error, Hashable, Sendable {
    /// The piece at fault, e.g. `Credential`, `SignedHeaders`, `X-Amz-Date`.
    package let piece: String
    package let reason: String

    package var message: String { "\(piece): \(reason)" }
}

extension SigV4Authorization {
    package static let algorithm = "AWS4-HMAC-SHA256"

    /// Reads the signature of `request`: the `Authorization` header if present, else the
    /// presigned query parameters; `nil` when the request carries no signature at all.
    /// - Throws: `SigV4FormatError` naming the malformed or missing piece.
    package static func parse(_ request: AWSRequest) throws(SigV4FormatError) -> SigV4Authorization? {
        if let header = request.header(.authorization) {
            return try parseHeader(header, date: request.header(.xAmzDate) ?? request.header("date"))
        }
        guard request.queryContains("X-Amz-Signature") || request.queryContains("X-Amz-Credential") else { return nil }
        var items: [String: String] = [:]
        for item in request.queryItems { items[item.name] = item.value }
        return try parsePresigned(items)
    }

    private static let headerPrefix = Array("AWS4-HMAC-SHA256 ".utf8)

    static func parseHeader(_ header: String, date: String?) throws(SigV4FormatError) -> SigV4Authorization {
        // `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, scanned once as bytes:
        // this runs on every request.
        let bytes = Array(header.utf8)
        guard bytes.starts(with: headerPrefix) else {
            throw SigV4FormatError(piece: "Authorization", reason: "only \(algorithm) is supported")
        }
        var credential: String?
        var signedHeaders: String?
        var signature: String?
        var index = headerPrefix.count
        while index < bytes.count {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: ",") { index += 1 }
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "=") { index += 1 }
            guard index < bytes.count else {
                throw SigV4FormatError(piece: "Authorization", reason: "malformed element '\(String(decoding: bytes[nameStart...], as: UTF8.self))'")
            }
            let nameEnd = index
            index += 1
            let valueStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: " ") { index += 1 }
            let value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
            switch bytes[nameStart..<nameEnd] {
            case let name where name.elementsEqual("Credential".utf8): credential = value
            case let name where name.elementsEqual("SignedHeaders".utf8): signedHeaders = value
            case let name where name.elementsEqual("Signature".utf8): signature = value
            default: continue
            }
        }
        guard let date else { throw SigV4FormatError(piece: "X-Amz-Date", reason: "missing; the request must carry X-Amz-Date or Date") }
        return try make(credential: credential, signedHeaders: signedHeaders, signature: signature, date: date, expires: nil)
    }

    static func parsePresigned(_ items: [String: String]) throws(SigV4FormatError) -> SigV4Authorization {
        guard items["X-Amz-Algorithm"] == algorithm else {
            throw SigV4FormatError(piece: "X-Amz-Algorithm", reason: "must be \(algorithm)")
        }
        guard let date = items["X-Amz-Date"] else { throw SigV4FormatError(piece: "X-Amz-Date", reason: "missing") }
        guard let expiresText = items["X-Amz-Expires"], let expires = Int(expiresText), (1...604_800).contains(expires) else {
            throw SigV4FormatError(piece: "X-Amz-Expires", reason: "must be a number of seconds between 1 and 604800")
        }
        return try make(
            credential: items["X-Amz-Credential"],
            signedHeaders: items["X-Amz-SignedHeaders"],
            signature: items["X-Amz-Signature"],
            date: date,
            expires: expires
        )
    }

    private static func make(
        credential: String?,
        signedHeaders: String?,
        signature: String?,
        date: String,
        expires: Int?
    )
        throws(SigV4FormatError) -> SigV4Authorization
    {
        guard let credential else { throw SigV4FormatError(piece: "Credential", reason: "missing") }
        let scope = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard scope.count == 5, scope[4].elementsEqual("aws4_request".utf8), !scope[0].isEmpty, scope[1].count == 8, !scope[2].isEmpty,
            !scope[3].isEmpty
        else {
            throw SigV4FormatError(piece: "Credential", reason: "must be <access key>/<yyyymmdd>/<region>/<service>/aws4_request")
        }
        guard let signedHeaders, !signedHeaders.isEmpty else { throw SigV4FormatError(piece: "SignedHeaders", reason: "missing") }
        guard let signature, signature.utf8.count == 64, signature.utf8.allSatisfy({ Self.isLowerHex($0) }) else {
            throw SigV4FormatError(piece: "Signature", reason: "must be 64 lower-case hex digits")
        }
        return SigV4Authorization(
            accessKeyID: String(decoding: scope[0], as: UTF8.self),
            scopeDate: String(decoding: scope[1], as: UTF8.self),
            region: String(decoding: scope[2], as: UTF8.self),
            service: String(decoding: scope[3], as: UTF8.self),
            signedHeadersList: signedHeaders,
            signature: signature,
            requestDate: date,
            expires: expires
        )
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}

/// Reads just the service of a request's credential scope, for routing, without validating the rest.
package enum SigV4Scope {
    package static func service(of request: AWSRequest) -> String? {
        if let header = request.header(.authorization) {
            return service(inCredential: header, after: "Credential=")
        }
        guard request.queryContains("X-Amz-Credential") else { return nil }
        guard let value = request.queryItems.first(where: { $0.name == "X-Amz-Credential" })?.value else { return nil }
        return service(inCredential: value, after: "")
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            var matched = true
            for offset in 1..<needle.count where haystack[start + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { return start }
        }
        return nil
    }

    /// The fourth `/`-separated field after `marker`: `<key>/<date>/<region>/<service>/aws4_request`.
    private static func service(inCredential text: String, after marker: String) -> String? {
        let utf8 = Array(text.utf8)
        var start = 0
        if !marker.isEmpty {
            let needle = Array(marker.utf8)
            guard let found = firstIndex(of: needle, in: utf8) else { return nil }
            start = found + needle.count
        }
        var end = start
        while end < utf8.count, utf8[end] != UInt8(ascii: ","), utf8[end] != UInt8(ascii: " ") { end += 1 }
        let fields = utf8[start..<end].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return fields.count == 5 ? String(decoding: fields[3], as: UTF8.self) : nil
    }
}
