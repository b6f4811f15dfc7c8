import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP POST and reports the response status; HTTP/S subscriptions are delivered through it.
package protocol HTTPPoster: Sendable {
    /// POSTs `body` to `url` with `headers`; returns the response's status code.
    /// - Throws: when no response arrived (connection refused, timeout, bad URL).
    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Double) async throws -> Int
}

/// `HTTPPoster` on Foundation's `URLSession`.
package struct URLSessionPoster: HTTPPoster {
    struct BadURL: Error {}

    package init() {}

    package func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Double) async throws -> Int {
        guard let target = URL(string: url) else { throw BadURL() }
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
