package import Logging
package import NimbusCore

/// Everything `nimbus serve` is configured with.
package struct ServerConfiguration: Sendable {
    package var host = "127.0.0.1"
    package var port = 4566
    package var dataDirectory = "./.nimbus"
    package var account = AccountContext()
    /// An AWS shared-credentials file whose keys may sign requests.
    package var credentialsFile: String?
    /// Verify signatures even on a loopback address.
    package var verifySignatures = false
    /// The largest request body accepted; larger ones get 413.
    package var maxBodySize = 16 * 1024 * 1024
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT.
    package var shutdownGracePeriod: Duration = .seconds(10)
    /// Connections idle (or stalled mid-request) this long are closed.
    package var idleTimeout: Duration = .seconds(60)
    package var logLevel: Logger.Level = .info
    /// How long a function instance stays warm without invocations.
    package var instanceIdleTimeout: Duration = .seconds(600)
    /// Runtime processes kept started for cold starts to take, per python and node runtime in use
    /// and per event-loop thread.
    package var standbyInstances = 1
    /// Confine function instances in Linux namespaces (bubblewrap) when the host has them.
    package var sandboxNamespaces = true
    /// The most function invocations the account runs at once (AWS's default quota).
    package var accountConcurrency = 1000
    /// Seconds before an asynchronous invocation's first retry (the second waits twice as
    /// long); AWS waits about a minute. Tests shorten it.
    package var asyncRetryBaseDelay = 60.0

    package init() {}

    /// Whether the listener is reachable only from this machine.
    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// A configuration that cannot be served, with the reason a person can act on.
package struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
