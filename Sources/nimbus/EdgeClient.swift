import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The CLI's client of a running server: AWS JSON 1.1 calls over HTTP, unsigned.
///
/// A server on a loopback address runs in open mode and accepts unsigned requests (see
/// DESIGN.md, auth modes); a server that verifies signatures answers with an authentication
/// error, which `Failure` words for the user.
struct EdgeClient: Sendable {
    /// Why a call failed, worded for a one-line CLI error.
    enum Failure: Error, CustomStringConvertible {
        /// No server answered at the endpoint.
        case unreachable(endpoint: String, reason: String)
        /// The server answered with an AWS error.
        case aws(code: String, message: String)
        /// The server answered something that is not an AWS JSON response.
        case unexpected(String)

        var description: String {
            switch self {
            case .unreachable(let endpoint, let reason):
                "cannot reach a Nimbus server at \(endpoint) (\(reason)); is `nimbus serve` running there?"
            case .aws(let code, let message):
                if Self.authenticationCodes.contains(code) {
                    "the server refused an unsigned request (\(code)): CLI commands need a server in open mode (loopback, without --verify-signatures)"
                } else {
                    "\(code): \(message)"
                }
            case .unexpected(let detail):
                "unexpected answer from the server: \(detail)"
            }
        }

        static let authenticationCodes: Set<String> = [
            "MissingAuthenticationTokenException", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "AccessDeniedException",
        ]
    }

    let endpoint: URL
    private let session: URLSession

    init(endpoint: URL) {
        self.endpoint = endpoint
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 15
        session = URLSession(configuration: configuration)
    }

    /// Calls `target` (e.g. `Logs_20140328.FilterLogEvents`) with `input` as its JSON body.
    func call<Input: Encodable, Output: Decodable>(_ target: String, _ input: Input, as output: Output.Type) async throws(Failure) -> Output {
        let body: Data
        do {
            body = try JSONEncoder().encode(input)
        } catch {
            throw .unexpected("cannot encode the request: \(error)")
        }
        let (_, _, data) = try await send(
            "POST",
            path: "/",
            headers: ["Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target],
            body: body
        )
        do {
            return try JSONDecoder().decode(Output.self, from: data)
        } catch {
            throw .unexpected("cannot decode the response: \(error)")
        }
    }

    /// Sends one request (a REST API's path, e.g. Lambda's `/2015-03-31/functions/…`); returns
    /// a 2xx answer's status, headers (lower-cased names) and body, or throws the AWS error.
    func send(
        _ method: String,
        path: String,
        headers: [String: String] = [:],
        body: Data = Data()
    ) async throws(Failure) -> (status: Int, headers: [String: String], body: Data) {
        guard let url = URL(string: path, relativeTo: endpoint) else { throw .unexpected("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError {
            throw .unreachable(endpoint: endpoint.absoluteString, reason: error.localizedDescription)
        } catch {
            throw .unreachable(endpoint: endpoint.absoluteString, reason: "\(error)")
        }
        let http = response as? HTTPURLResponse
        let status = http?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let body = try? JSONDecoder().decode(ErrorBody.self, from: data)
            // awsJson names the error in the body's `__type`; restJson1 in `x-amzn-ErrorType` (`Code:…` at most).
            let header = (http?.value(forHTTPHeaderField: "x-amzn-ErrorType")).map { String($0.split(separator: ":").first ?? "") }
            guard let type = body?.type ?? header else {
                throw .unexpected("HTTP \(status): \(String(decoding: data.prefix(200), as: UTF8.self))")
            }
            // `__type` may be namespaced: `com.amazonaws.logs#ResourceNotFoundException`.
            throw .aws(code: String(type.split(separator: "#").last ?? Substring(type)), message: body?.message ?? body?.capitalMessage ?? "")
        }
        var lowered: [String: String] = [:]
        for case let (name as String, value as String) in http?.allHeaderFields ?? [:] { lowered[name.lowercased()] = value }
        return (status, lowered, data)
    }

    private struct ErrorBody: Decodable {
        var type: String?
        var message: String?
        var capitalMessage: String?

        enum CodingKeys: String, CodingKey {
            case type = "__type"
            case message
            case capitalMessage = "Message"
        }
    }
}
