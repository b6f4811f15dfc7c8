import NimbusServer
import NimbusStore
import NimbusTesting

/// A platform on a fresh data directory (port 0), its store closed after `body`.
func withPlatform<T>(_ body: (Platform) async throws -> T) async throws -> T {
    try await TemporaryDirectory.with { directory in
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path + "/data"
        configuration.port = 0
        let platform = try await Platform.open(configuration)
        let result = try await body(platform)
        try await platform.store.close()
        return result
    }
}
