import ArgumentParser
import Foundation

/// `--endpoint`, shared by the commands that are clients of a running server.
struct EndpointOption: ParsableArguments {
    @Option(help: "The server's URL. [env: NIMBUS_ENDPOINT] (default: http://127.0.0.1:4566)")
    var endpoint: String?

    /// A client of the server the option (or `NIMBUS_ENDPOINT`) names.
    func client() throws -> EdgeClient {
        let url = endpoint ?? ProcessInfo.processInfo.environment["NIMBUS_ENDPOINT"] ?? "http://127.0.0.1:4566"
        guard let base = URL(string: url), base.scheme == "http" || base.scheme == "https", base.host != nil else {
            throw ValidationError("--endpoint must be an http(s) URL, got '\(url)'")
        }
        return EdgeClient(endpoint: base)
    }
}
