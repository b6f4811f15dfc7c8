/// Bytes arriving from a peer, in pieces of any size.
protocol ByteSource: AnyObject {
    /// Appends the next bytes to `buffer`; returns false at the end of the stream.
    func receive(appendingTo buffer: inout [UInt8]) throws(LambdaRuntimeError) -> Bool
}

/// One HTTP/1.1 response, header names lower-cased.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    /// False when the server said it closes the connection (or must, to end the body).
    var keepAlive: Bool
}

/// Header fields in arrival order; names are compared case-insensitively (stored lower-cased).
struct HTTPHeaders: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private(set) var fields: [(name: String, value: String)] = []

    init() {}

    init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { append(name: name, value: value) }
    }

    mutating func append(name: String, value: String) {
        fields.append((name.lowercased(), value))
    }

    /// The first value of the header `name` (any case).
    subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name == lowered }?.value
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0 == $1 }
    }
}

/// Reads HTTP/1.1 responses from a byte source: status line, headers, and a body framed by
/// `Content-Length`, `Transfer-Encoding: chunked`, or the end of the connection. Interim (1xx)
/// responses are skipped. Bytes past one response stay buffered for the next.
struct HTTPResponseReader<Source: ByteSource> {
    /// The longest status, header or chunk-size line accepted.
    static var maximumLineLength: Int { 64 * 1024 }

    let source: Source
    private var buffer: [UInt8] = []
    private var position = 0

    init(source: Source) {
        self.source = source
    }

    /// - Parameter method: the request's method (a `HEAD` response has no body).
    /// - Throws: `.connectionClosed` if the stream ends mid-response, `.malformedResponse` naming
    ///   the piece that is wrong, or the source's own error.
    mutating func readResponse(method: String) throws(LambdaRuntimeError) -> HTTPResponse {
        var status = 0
        var version = ""
        var headers = HTTPHeaders()
        repeat {
            let statusLine = try readLine()
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...999).contains(code) else {
                throw LambdaRuntimeError(.malformedResponse("status line '\(statusLine)'"))
            }
            status = code
            version = String(parts[0])
            headers = HTTPHeaders()
            while true {
                let line = try readLine()
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else {
                    throw LambdaRuntimeError(.malformedResponse("header line '\(line)'"))
                }
                headers.append(name: String(line[..<colon]), value: trimmed(line[line.index(after: colon)...]))
            }
        } while (100..<200).contains(status)

        let connection = headers["connection"]?.lowercased() ?? ""
        var keepAlive = version == "HTTP/1.0" ? connection == "keep-alive" : connection != "close"
        var body: [UInt8] = []
        if method == "HEAD" || status == 204 || status == 304 {
            // no body
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try readChunkedBody()
        } else if let length = headers["content-length"] {
            guard let count = Int(length), count >= 0 else {
                throw LambdaRuntimeError(.malformedResponse("Content-Length '\(length)'"))
            }
            body = try readBytes(count)
        } else {
            body = try readToEnd()
            keepAlive = false
        }
        compact()
        return HTTPResponse(status: status, headers: headers, body: body, keepAlive: keepAlive)
    }

    private mutating func readChunkedBody() throws(LambdaRuntimeError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            let digits = sizeLine.split(separator: ";", maxSplits: 1).first.map { trimmed($0) } ?? ""
            guard let size = Int(digits, radix: 16), size >= 0 else {
                throw LambdaRuntimeError(.malformedResponse("chunk size '\(sizeLine)'"))
            }
            if size == 0 {
                while try !readLine().isEmpty {}  // trailers
                return body
            }
            body.append(contentsOf: try readBytes(size))
            guard try readLine().isEmpty else {
                throw LambdaRuntimeError(.malformedResponse("chunk longer than its size \(size)"))
            }
        }
    }

    /// The next line without its CRLF (or bare LF), decoded as ISO-8859-1 as HTTP header text is.
    private mutating func readLine() throws(LambdaRuntimeError) -> String {
        var scanned = 0  // bytes after `position` known to hold no LF; `fill` may move `position`
        while true {
            if let newline = buffer[(position + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                var scalars = String.UnicodeScalarView()
                scalars.append(contentsOf: buffer[position..<end].lazy.map { Unicode.Scalar($0) })
                position = newline + 1
                return String(scalars)
            }
            scanned = buffer.count - position
            guard scanned <= Self.maximumLineLength else {
                throw LambdaRuntimeError(.malformedResponse("line longer than \(Self.maximumLineLength) bytes"))
            }
            try fill()
        }
    }

    private mutating func readBytes(_ count: Int) throws(LambdaRuntimeError) -> [UInt8] {
        while buffer.count - position < count {
            try fill()
        }
        let bytes = Array(buffer[position..<position + count])
        position += count
        return bytes
    }

    private mutating func readToEnd() throws(LambdaRuntimeError) -> [UInt8] {
        while try source.receive(appendingTo: &buffer) {}
        let bytes = Array(buffer[position...])
        position = buffer.count
        return bytes
    }

    private mutating func fill() throws(LambdaRuntimeError) {
        compact()
        guard try source.receive(appendingTo: &buffer) else {
            throw LambdaRuntimeError(.connectionClosed)
        }
    }

    /// Drops consumed bytes so the buffer does not grow across responses.
    private mutating func compact() {
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        } else if position > 0 {
            buffer.removeSubrange(..<position)
            position = 0
        }
    }
}

private func trimmed(_ text: Substring) -> String {
    let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else {
        return ""
    }
    return String(text[first...last])
}
