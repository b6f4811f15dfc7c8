#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected TCP socket with blocking reads and writes; the owner closes it.
///
/// Plain POSIX instead of URLSession: FoundationNetworking costs tens of milliseconds to load
/// on every cold start and is not always installed.
final class Socket: ByteSource {
    private let descriptor: Int32
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// Connects to the first address `host`:`port` resolves to that accepts, with `TCP_NODELAY`
    /// (a Runtime API request is one small write that must leave at once).
    ///
    /// - Throws: `.connectFailed` with the last `errno`, or the resolver's message.
    init(connectingTo host: String, port: Int) throws(LambdaRuntimeError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketStream
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw LambdaRuntimeError(.connectFailed("\(host):\(port)", reason))
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd < 0 {
                lastErrno = errno
                continue
            }
            var result: Int32
            repeat {
                result = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
            } while result != 0 && errno == EINTR
            if result == 0 {
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                #if canImport(Darwin)
                _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
                #endif
                self.descriptor = fd
                return
            }
            lastErrno = errno
            _ = close(fd)
        }
        throw LambdaRuntimeError(.connectFailed("\(host):\(port)", String(cString: strerror(lastErrno))))
    }

    deinit {
        _ = close(descriptor)
    }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    func send(_ bytes: [UInt8]) throws(LambdaRuntimeError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Darwin)
                Darwin.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, 0)
                #else
                // MSG_NOSIGNAL: a peer that went away is an EPIPE to report, not a SIGPIPE that ends the process.
                systemSend(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw LambdaRuntimeError(.sendFailed(String(cString: strerror(errno))))
            }
            offset += written
        }
    }

    /// Appends what one `recv` returns to `buffer`; returns false when the peer closed the connection.
    func receive(appendingTo buffer: inout [UInt8]) throws(LambdaRuntimeError) -> Bool {
        while true {
            let received = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if received > 0 {
                buffer.append(contentsOf: scratch[..<received])
                return true
            }
            if received == 0 { return false }
            if errno == EINTR { continue }
            throw LambdaRuntimeError(.receiveFailed(String(cString: strerror(errno))))
        }
    }
}

#if canImport(Glibc)
private let socketStream = Int32(SOCK_STREAM.rawValue)
private let systemSend = Glibc.send
#elseif canImport(Musl)
private let socketStream = SOCK_STREAM
private let systemSend = Musl.send
#else
private let socketStream = SOCK_STREAM
#endif
