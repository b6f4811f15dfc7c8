/// Opens the loopback HTTP listener of one instance's Runtime API. The server implements it
/// (NimbusLambda takes no socket types); each instance gets its own port, so the port an
/// instance was given is the only Runtime API it can reach through `AWS_LAMBDA_RUNTIME_API`.
package protocol RuntimeAPIListener: Sendable {
    /// Starts listening on 127.0.0.1 at a free port, passing every request to `session`, served by
    /// the thread `home` names (one of `homes`); `nil`: the caller's, or the next one.
    func open(for session: RuntimeSession, on home: ObjectIdentifier?) async throws -> any RuntimeAPIBinding
    /// Every thread that can serve listeners.
    var homes: [ObjectIdentifier] { get }
    /// The thread serving listeners that the caller runs on (compared with
    /// `RuntimeAPIBinding.home`), or `nil` when the caller runs on none.
    func currentHome() -> ObjectIdentifier?
}

/// An open Runtime API listener.
package protocol RuntimeAPIBinding: Sendable {
    /// `127.0.0.1:<port>`: the value of the instance's `AWS_LAMBDA_RUNTIME_API`.
    var address: String { get }
    /// The thread that serves this listener and its connection: an invocation that arrives on
    /// it reaches the instance without a hop to another thread.
    var home: ObjectIdentifier { get }
    /// The CPUs that thread runs on: all of the server's unless it is kept on some.
    var cpus: [Int] { get }
    /// Stops listening and closes the instance's connections.
    func close() async
}

extension RuntimeAPIListener {
    /// A listener served by the caller's thread, or the next one.
    package func open(for session: RuntimeSession) async throws -> any RuntimeAPIBinding {
        try await open(for: session, on: nil)
    }
}
