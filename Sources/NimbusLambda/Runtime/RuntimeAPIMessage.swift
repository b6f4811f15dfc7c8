import Foundation

/// One HTTP request an instance sent to its Runtime API, as the listener read it.
package struct RuntimeAPIRequest: Sendable {
    package var method: String
    package var path: String
    /// `Lambda-Runtime-Function-Error-Type`, sent with error reports.
    package var errorType: String?
    /// `Nimbus-Standby-Token`, which a standby's runtime sends with its request for its assignment.
    package var standbyToken: String?
    package var body: [UInt8]
    /// The body was longer than `RuntimeAPIRequest.maximumBody`; `body` is empty.
    package var bodyTooLarge: Bool

    package init(
        method: String,
        path: String,
        errorType: String? = nil,
        standbyToken: String? = nil,
        body: [UInt8] = [],
        bodyTooLarge: Bool = false
    ) {
        self.method = method
        self.path = path
        self.errorType = errorType
        self.standbyToken = standbyToken
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }

    /// The header a standby's runtime proves it is that standby with (`RuntimeSession.standbyToken`).
    package static let standbyTokenHeader = "Nimbus-Standby-Token"
    /// Where a standby's runtime asks for its function: Nimbus's own, outside the Runtime API's
    /// paths, so no AWS runtime client ever asks for it.
    package static let assignmentPath = "/nimbus/standby/assignment"

    /// AWS's limit on a synchronous response: 6 MB.
    package static let maximumBody = 6 * 1024 * 1024
}

/// The Runtime API's answer.
package struct RuntimeAPIResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `202 {"status":"OK"}`, the answer to an accepted response or error report.
    static let accepted = RuntimeAPIResponse(status: 202, body: Array(#"{"status":"OK"}"#.utf8))

    /// An error in the shape the Runtime API uses: `{"errorMessage":…,"errorType":…}`.
    static func error(_ status: Int, type: String, message: String) -> RuntimeAPIResponse {
        RuntimeAPIResponse(status: status, body: ErrorPayload(type: type, message: message).json)
    }
}

/// What a Runtime API path asks for.
enum RuntimeAPIRoute: Equatable {
    case next
    case response(requestID: String)
    case error(requestID: String)
    case initError
    /// Nimbus's own: a standby's runtime asks what function it becomes (`RuntimeSession.assign`).
    case assignment

    private static let prefix = "/2018-06-01/runtime/"

    private static let nextPath = prefix + "invocation/next"
    private static let initErrorPath = prefix + "init/error"
    private static let invocationPrefix = prefix + "invocation/"
    private static let responseSuffix = "/response"

    /// Reads the route from a method and path; `nil` for anything the Runtime API does not serve.
    init?(method: String, path: String) {
        // A runtime asks for `next` after every answer: match the exact path before splitting.
        if method == "GET", path == Self.nextPath {
            self = .next
            return
        }
        if method == "POST", path == Self.initErrorPath {
            self = .initError
            return
        }
        if method == "GET", path == RuntimeAPIRequest.assignmentPath {
            self = .assignment
            return
        }
        // And posts a response after every event: a plain id between the two known parts.
        if method == "POST", path.hasPrefix(Self.invocationPrefix), path.hasSuffix(Self.responseSuffix) {
            let id = path.utf8.dropFirst(Self.invocationPrefix.utf8.count).dropLast(Self.responseSuffix.utf8.count)
            if !id.isEmpty, !id.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "%") }) {
                self = .response(requestID: String(Substring(id)))
                return
            }
        }
        guard path.hasPrefix(Self.prefix) else { return nil }
        let rest = path.dropFirst(Self.prefix.count).split(separator: "?", maxSplits: 1).first ?? ""
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        switch (method, parts.count) {
        case ("GET", 2) where parts == ["invocation", "next"]:
            self = .next
        case ("POST", 2) where parts == ["init", "error"]:
            self = .initError
        case ("POST", 3) where parts[0] == "invocation" && !parts[1].isEmpty:
            let raw = String(parts[1])
            let id = raw.contains("%") ? raw.removingPercentEncoding ?? raw : raw
            switch parts[2] {
            case "response": self = .response(requestID: id)
            case "error": self = .error(requestID: id)
            default: return nil
            }
        default:
            return nil
        }
    }
}
