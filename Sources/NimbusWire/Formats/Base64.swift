import Foundation

/// Base64 as AWS uses it for blobs in JSON and XML bodies and headers.
package enum Base64 {
    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes standard base64 (padding required, whitespace refused); `nil` when invalid.
    package static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }
}
