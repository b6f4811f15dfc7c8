import Dispatch

/// The Lambda Runtime API's endpoints
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) over one kept-alive
/// connection.
///
/// The socket calls block (`next` until an invocation arrives), so they run on a serial
/// dispatch queue of their own, never on Swift concurrency's cooperative threads, which stay free
/// for the handler's tasks. One hop there per invocation: the previous invocation's result is
/// posted and the next invocation fetched in the same trip.
final class RuntimeAPIClient: @unchecked Sendable {  // `connection` is touched only on `queue`
    static let prefix = "/2018-06-01/runtime"

    /// What the runtime reports for an invocation it has handled.
    enum Report: Sendable {
        case response(requestID: String, body: [UInt8])
        case error(requestID: String, FunctionError)
    }

    /// A `next` response: headers and the event payload.
    struct Invocation: Sendable {
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    private let connection: HTTPConnection
    private let queue = DispatchQueue(label: "nimbus.lambda-runtime.runtime-api")
    /// Told about report posts the Runtime API refused with a 4xx (it failed the invocation itself).
    private let onRejected: @Sendable (_ path: String, _ response: HTTPResponse) -> Void

    init(address: RuntimeAPIAddress, onRejected: @escaping @Sendable (_ path: String, _ response: HTTPResponse) -> Void) {
        self.connection = HTTPConnection(address: address)
        self.onRejected = onRejected
    }

    /// Posts `report` (if any), then waits for the next invocation.
    ///
    /// - Throws: a transport error, or `.unexpectedStatus` when `next` answers anything but 200
    ///   or a post answers 5xx (AWS: the runtime should exit).
    func next(after report: Report?) async throws(LambdaRuntimeError) -> Invocation {
        try await onQueue { connection throws(LambdaRuntimeError) in
            if let report { try self.post(report, on: connection) }
            let path = Self.prefix + "/invocation/next"
            let response = try connection.request(method: "GET", path: path)
            guard response.status == 200 else {
                throw LambdaRuntimeError(.unexpectedStatus(path, response.status, String(decoding: response.body, as: UTF8.self)))
            }
            return Invocation(headers: response.headers, body: response.body)
        }
    }

    /// Posts `report` without asking for another invocation.
    func post(_ report: Report) async throws(LambdaRuntimeError) {
        try await onQueue { connection throws(LambdaRuntimeError) in try self.post(report, on: connection) }
    }

    /// Posts an initialization error (`/init/error`); Lambda fails the pending invocation with it.
    func postInitError(_ error: FunctionError) async throws(LambdaRuntimeError) {
        try await onQueue { connection throws(LambdaRuntimeError) in
            try self.send(
                path: Self.prefix + "/init/error",
                headers: [("Content-Type", "application/json"), ("Lambda-Runtime-Function-Error-Type", error.type)],
                body: Array(error.json.utf8),
                on: connection
            )
        }
    }

    private func post(_ report: Report, on connection: HTTPConnection) throws(LambdaRuntimeError) {
        switch report {
        case .response(let requestID, let body):
            try send(
                path: "\(Self.prefix)/invocation/\(requestID)/response",
                headers: [("Content-Type", "application/json")],
                body: body,
                on: connection
            )
        case .error(let requestID, let error):
            try send(
                path: "\(Self.prefix)/invocation/\(requestID)/error",
                headers: [("Content-Type", "application/json"), ("Lambda-Runtime-Function-Error-Type", error.type)],
                body: Array(error.json.utf8),
                on: connection
            )
        }
    }

    private func send(
        path: String,
        headers: [(name: String, value: String)],
        body: [UInt8],
        on connection: HTTPConnection
    ) throws(LambdaRuntimeError) {
        let response = try connection.request(method: "POST", path: path, headers: headers, body: body)
        switch response.status {
        case 200..<300: return
        case 500...: throw LambdaRuntimeError(.unexpectedStatus(path, response.status, String(decoding: response.body, as: UTF8.self)))
        default: onRejected(path, response)
        }
    }

    private func onQueue<T: Sendable>(
        _ body: @escaping @Sendable (HTTPConnection) throws(LambdaRuntimeError) -> T
    ) async throws(LambdaRuntimeError) -> T {
        let result: Result<T, LambdaRuntimeError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(LambdaRuntimeError) -> T in try body(self.connection) })
            }
        }
        return try result.get()
    }
}
