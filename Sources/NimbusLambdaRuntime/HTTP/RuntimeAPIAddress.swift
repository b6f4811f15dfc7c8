/// Where the Runtime API listens: `AWS_LAMBDA_RUNTIME_API`, `host:port` (`127.0.0.1:9001` on AWS,
/// `[::1]:9001` for IPv6; a bare host means port 80).
struct RuntimeAPIAddress: Equatable, Sendable {
    let host: String
    let port: Int
    /// The `Host` header: the variable's value as given.
    let authority: String

    /// - Throws: `.invalidRuntimeAPIAddress` naming the value when it is empty, has an empty host
    ///   or a port that is not a number in 1…65535.
    init(_ value: String) throws(LambdaRuntimeError) {
        var host = Substring(value)
        var port = 80
        if let colon = value.lastIndex(of: ":"), !value.hasSuffix("]") {
            host = value[..<colon]
            guard let number = Int(value[value.index(after: colon)...]), (1...65535).contains(number) else {
                throw LambdaRuntimeError(.invalidRuntimeAPIAddress(value))
            }
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
        }
        guard !host.isEmpty, !host.contains("/"), !host.contains(" ") else {
            throw LambdaRuntimeError(.invalidRuntimeAPIAddress(value))
        }
        self.host = String(host)
        self.port = port
        self.authority = value
    }
}
