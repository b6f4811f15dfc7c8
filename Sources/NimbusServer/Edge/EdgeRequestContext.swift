import Hummingbird
import Logging
import NIOCore
import NimbusWire

/// The edge's request context: Hummingbird's core storage plus the connection's TCP peer,
/// from which the caller's IP address (`AWSRequest.sourceIP`) is taken.
struct EdgeRequestContext: Hummingbird.RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection's peer, when the channel knows it (in-process test channels do not).
    var remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// A context for a request that came from no connection (an in-process call): the peer
    /// is unknown until set.
    init(logger: Logger) {
        self.coreContext = .init(source: LoggerSource(logger: logger))
        self.remoteAddress = nil
    }

    /// The caller's IP address as services see it: see `sourceIP(of:)`.
    var sourceIP: String { Self.sourceIP(of: remoteAddress) }

    /// `address` as AWS prints a caller's IP: IPv4 dotted (also for IPv4-mapped IPv6,
    /// `::ffff:10.0.0.1` → `10.0.0.1`), IPv6 as `inet_ntop` writes it, and
    /// `AWSRequest.unknownSourceIP` when there is no IP address (none, or a Unix socket).
    static func sourceIP(of address: SocketAddress?) -> String {
        guard let text = address?.ipAddress else { return AWSRequest.unknownSourceIP }
        if case .v4 = address { return text }
        let mapped = "::ffff:"
        if text.count > mapped.count, text.prefix(mapped.count).lowercased() == mapped, text.contains(".") {
            return String(text.dropFirst(mapped.count))
        }
        return text
    }
}

/// A context source that only has a logger.
private struct LoggerSource: RequestContextSource {
    let logger: Logger
}
