import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Lambda Runtime API double on a free 127.0.0.1 port, defined by what it answers: each
/// `GET …/invocation/next` takes the next scripted ``Next``, every `POST` is answered with
/// `postStatus`, and every request is recorded in arrival order.
///
/// One connection is served at a time, on a thread of its own (the runtime keeps one alive).
final class FakeRuntimeAPI: Sendable {
    /// What one `next` request gets.
    enum Next: Sendable {
        /// A 200 with the invocation's headers and JSON payload.
        case invocation(headers: [(String, String)], body: String)
        /// Any other status, with a body.
        case status(Int, String)
    }

    /// How the double frames its answers (for the client's HTTP reader).
    struct Framing: Sendable {
        /// Send `Connection: close` and close the connection after every response.
        var closeEachConnection = false
        /// Send `next` bodies with `Transfer-Encoding: chunked`, in 3-byte chunks.
        var chunkedNext = false
        /// Send a `100 Continue` interim response before every final one.
        var interimContinue = false
    }

    struct Request: Sendable {
        var method: String
        var path: String
        /// Lower-cased names.
        var headers: [String: String]
        var body: Data

        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        }
    }

    private struct State {
        var script: [Next]
        var requests: [Request] = []
        var connections = 0
        var connection: Int32 = -1
        var stopped = false
    }

    let address: String
    private let listener: Int32
    private let framing: Framing
    private let postStatus: Int
    private let state: Mutex<State>

    /// Runs `body` with a double serving `script`, then stops it.
    static func with<T>(
        _ script: [Next],
        framing: Framing = Framing(),
        postStatus: Int = 202,
        _ body: (FakeRuntimeAPI) async throws -> T
    ) async throws -> T {
        let api = try FakeRuntimeAPI(script: script, framing: framing, postStatus: postStatus)
        defer { api.stop() }
        return try await body(api)
    }

    /// A 200 `next` answer with AWS's headers; `headers` replace or add to them (a nil value removes one).
    static func invocation(
        _ body: String,
        requestID: String = UUID().uuidString.lowercased(),
        deadline: Date = Date().addingTimeInterval(30),
        headers overrides: [String: String?] = [:]
    ) -> Next {
        var headers: [String: String] = [
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": requestID,
            "Lambda-Runtime-Deadline-Ms": String(Int64(deadline.timeIntervalSince1970 * 1000)),
            "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:fn",
            "Lambda-Runtime-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        ]
        for (name, value) in overrides {
            headers[name] = value
        }
        return .invocation(headers: headers.sorted { $0.key < $1.key }, body: body)
    }

    private init(script: [Next], framing: Framing, postStatus: Int) throws {
        let fd = socket(AF_INET, streamSocket, 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        self.listener = fd
        self.address = "127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        self.framing = framing
        self.postStatus = postStatus
        self.state = Mutex(State(script: script))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var requests: [Request] { state.withLock { $0.requests } }
    var connections: Int { state.withLock { $0.connections } }

    /// "GET /2018-06-01/runtime/invocation/next"-style lines, one per request.
    var requestLines: [String] { requests.map { "\($0.method) \($0.path)" } }

    func stop() {
        let connection = state.withLock { state in
            state.stopped = true
            return state.connection
        }
        shutdown(listener, Int32(SHUT_RDWR))
        if connection >= 0 { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    deinit {
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let stopped = state.withLock { state in
                state.connections += 1
                state.connection = connection
                return state.stopped
            }
            if !stopped { serve(connection) }
            state.withLock { $0.connection = -1 }
            close(connection)
        }
    }

    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        while let request = readRequest(connection, &buffer) {
            let next: Next? = state.withLock { state in
                state.requests.append(request)
                guard request.method == "GET" else { return nil }
                return state.script.isEmpty ? .status(500, "script exhausted") : state.script.removeFirst()
            }
            var response = ""
            if framing.interimContinue {
                response += "HTTP/1.1 100 Continue\r\n\r\n"
            }
            var headers: [(String, String)] = [("Content-Type", "application/json")]
            var body = #"{"status":"OK"}"#
            var status = postStatus
            var chunked = false
            switch next {
            case .invocation(let invocationHeaders, let payload)?:
                (status, headers, body, chunked) = (200, invocationHeaders, payload, framing.chunkedNext)
            case .status(let code, let text)?:
                (status, body) = (code, text)
            case nil:
                break
            }
            response += "HTTP/1.1 \(status) Whatever\r\n"
            for (name, value) in headers {
                response += "\(name): \(value)\r\n"
            }
            if framing.closeEachConnection {
                response += "Connection: close\r\n"
            }
            if chunked {
                response += "Transfer-Encoding: chunked\r\n\r\n"
                var rest = Substring(body)
                while !rest.isEmpty {
                    let piece = rest.prefix(3)
                    rest = rest.dropFirst(3)
                    response += String(piece.utf8.count, radix: 16) + ";ext=1\r\n" + piece + "\r\n"
                }
                response += "0\r\nX-Trailer: t\r\n\r\n"
            } else {
                response += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            }
            let bytes = Array(response.utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress!, $0.count, noSignal) }
                guard n > 0 else { return }
                sent += n
            }
            if framing.closeEachConnection { return }
        }
    }

    private func readRequest(_ connection: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let end = buffer.firstRange(of: separator)?.lowerBound {
                headEnd = end
                break
            }
            guard receive(connection, &buffer) else { return nil }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd! + separator.count
        while buffer.count < bodyStart + length {
            guard receive(connection, &buffer) else { return nil }
        }
        let body = Data(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    private func receive(_ connection: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress!, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[..<n])
        return true
    }
}

#if canImport(Glibc)
private let streamSocket = Int32(SOCK_STREAM.rawValue)
private let noSignal = Int32(MSG_NOSIGNAL)
#else
private let streamSocket = SOCK_STREAM
private let noSignal: Int32 = 0  // Darwin has no MSG_NOSIGNAL; no test closes the client mid-response
#endif
