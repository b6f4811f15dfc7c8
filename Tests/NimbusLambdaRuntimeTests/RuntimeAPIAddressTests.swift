import Testing

@testable import NimbusLambdaRuntime

struct RuntimeAPIAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9001", "127.0.0.1", 9001),
        ("localhost:80", "localhost", 80),
        ("[::1]:9001", "::1", 9001),
        ("runtime.internal", "runtime.internal", 80),
        ("[::1]", "::1", 80),
    ])
    func readsHostAndPort(value: String, host: String, port: Int) throws {
        let address = try RuntimeAPIAddress(value)
        #expect(address.host == host && address.port == port && address.authority == value)
    }

    @Test(arguments: ["", ":9001", "127.0.0.1:", "127.0.0.1:port", "127.0.0.1:0", "127.0.0.1:65536", "http://127.0.0.1:9001"])
    func rejectsWhatIsNotHostPort(value: String) {
        #expect(throws: LambdaRuntimeError(.invalidRuntimeAPIAddress(value))) {
            try RuntimeAPIAddress(value)
        }
    }

    @Test func refusedConnectionNamesTheAddress() throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let connection = HTTPConnection(address: try RuntimeAPIAddress("127.0.0.1:1"))
        #expect(throws: LambdaRuntimeError(.connectFailed("127.0.0.1:1", "Connection refused"))) {
            try connection.request(method: "GET", path: "/")
        }
    }
}
