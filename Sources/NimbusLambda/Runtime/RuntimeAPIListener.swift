/// Opens the loopback HTTP listener of one instance's Runtime API. The server implements it
/// (NimbusLambda takes no socket types); each instance gets its own port, so the port an
/// instance was given is the only Runtime API it can reach through `AWS_LAMBDA_RUNTIME_API`.
package protocol RuntimeAPIListener: Sendable {
    /// Starts listening on 127.0.0.1 at a free port, passing every request to `session`.
    func open(for session: RuntimeSession) async throws -> any RuntimeAPIBinding
}

/// An open Runtime API listener.
package protocol RuntimeAPIBinding: Sendable {
    /// `127.0.0.1:<port>`: the value of the instance's `AWS_LAMBDA_RUNTIME_API`.
    var address: String { get }
    /// Stops listening and closes the instance's connections.
    func close() async
}
