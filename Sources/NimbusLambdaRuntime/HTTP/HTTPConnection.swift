#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One persistent HTTP/1.1 connection to the Runtime API, opened on first use and again after
/// the server closes it. Not thread-safe: one caller at a time.
final class HTTPConnection {
    let address: RuntimeAPIAddress
    private var reader: HTTPResponseReader<Socket>?
    private let userAgent = "nimbus-lambda-swift/1"

    init(address: RuntimeAPIAddress) {
        self.address = address
    }

    /// Sends one request and reads its response.
    ///
    /// A kept-alive connection the server has since closed is replaced at once, and a refused
    /// connection is tried again after 50 then 100 ms (as the python bootstrap does); a response
    /// that is not HTTP is not retried.
    ///
    /// - Throws: the last transport error after three attempts, or `.malformedResponse`.
    func request(
        method: String,
        path: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) throws(LambdaRuntimeError) -> HTTPResponse {
        let bytes = encode(method: method, path: path, headers: headers, body: body)
        var attempt = 0
        while true {
            let fresh = reader == nil
            do {
                if fresh {
                    reader = HTTPResponseReader(source: try Socket(connectingTo: address.host, port: address.port))
                }
                try reader!.source.send(bytes)
                let response = try reader!.readResponse(method: method)
                if !response.keepAlive { reader = nil }
                return response
            } catch {
                reader = nil
                attempt += 1
                guard attempt < 3, error.isTransport else { throw error }
                if fresh { usleep(UInt32(50_000 * attempt)) }
            }
        }
    }

    private func encode(method: String, path: String, headers: [(name: String, value: String)], body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(address.authority)\r\nUser-Agent: \(userAgent)\r\n"
        for (name, value) in headers {
            // A value with a line break would end the header early; Lambda's never have one.
            head += "\(name): \(value.filter { !$0.isNewline })\r\n"
        }
        if method != "GET" || !body.isEmpty {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.utf8.count + body.count)
        bytes.append(contentsOf: head.utf8)
        bytes.append(contentsOf: body)
        return bytes
    }
}

extension LambdaRuntimeError {
    /// A failure of the connection rather than of what the server said: worth a new connection.
    fileprivate var isTransport: Bool {
        switch code {
        case .connectFailed, .sendFailed, .receiveFailed, .connectionClosed: true
        default: false
        }
    }
}
