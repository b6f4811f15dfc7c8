import ArgumentParser
import Foundation
import Logging
import NimbusCore
import NimbusServer

extension Nimbus {
    /// `nimbus serve`: runs the platform in this process until SIGINT or SIGTERM.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the Nimbus server.",
            discussion: """
                Every option can also be set with the environment variable named in its help; \
                a flag on the command line wins over the environment.

                On a loopback address any well-formed AWS credentials are accepted, like a local \
                cloud. On any other address (or with --verify-signatures) every request must be \
                signed with SigV4 by a key from --credentials, and the server refuses to start \
                without one.
                """
        )

        @Option(help: "Address to listen on. [env: NIMBUS_HOST] (default: 127.0.0.1)")
        var host: String?

        @Option(help: "Port of the edge listener; 0 picks a free port. [env: NIMBUS_PORT] (default: 4566)")
        var port: Int?

        @Option(help: "Folder holding the database and blobs. [env: NIMBUS_DATA_DIR] (default: ./.nimbus)")
        var dataDir: String?

        @Option(help: "AWS region the server plays. [env: NIMBUS_REGION] (default: us-east-1)")
        var region: String?

        @Option(help: "12-digit AWS account id the server plays. [env: NIMBUS_ACCOUNT_ID] (default: 000000000000)")
        var accountId: String?

        @Option(
            help: ArgumentHelp(
                "AWS shared-credentials file whose keys may sign requests. [env: NIMBUS_CREDENTIALS]",
                discussion: "INI format: one [profile] per IAM user, with aws_access_key_id and aws_secret_access_key.",
                valueName: "file"
            )
        )
        var credentials: String?

        @Flag(help: "Verify SigV4 signatures even on a loopback address (needs --credentials). [env: NIMBUS_VERIFY_SIGNATURES=1]")
        var verifySignatures = false

        @Option(help: "Largest request body accepted, in bytes; larger bodies get 413. [env: NIMBUS_MAX_BODY_SIZE] (default: 16777216)")
        var maxBodySize: Int?

        @Option(help: "Seconds in-flight requests may take to finish on shutdown. [env: NIMBUS_SHUTDOWN_GRACE] (default: 10)")
        var shutdownGrace: Int?

        @Option(help: "trace, debug (one line per request), info, warning or error. [env: NIMBUS_LOG_LEVEL] (default: info)")
        var logLevel: String?

        @Option(help: "Seconds a function instance stays warm without invocations. [env: NIMBUS_INSTANCE_IDLE_TIMEOUT] (default: 600)")
        var instanceIdleTimeout: Int?

        @Option(
            help:
                "Runtime processes kept started ahead of cold starts, per python and node runtime in use and per server thread (one per CPU); 0: none. [env: NIMBUS_STANDBY_INSTANCES] (default: 1)"
        )
        var standbyInstances: Int?

        @Flag(
            help: "Run function instances without Linux namespaces even when bubblewrap is installed. [env: NIMBUS_SANDBOX_NAMESPACES=0]"
        )
        var noNamespaces = false

        @Option(
            help:
                "The most function invocations that run at once, across all functions (AWS's account concurrency). [env: NIMBUS_ACCOUNT_CONCURRENCY] (default: 1000)"
        )
        var accountConcurrency: Int?

        @Option(
            help:
                "Seconds before an asynchronous invocation's first retry; the second waits twice as long. [env: NIMBUS_ASYNC_RETRY_BASE] (default: 60, as AWS)"
        )
        var asyncRetryBase: Double?

        func run() async throws {
            LoggingSystem.bootstrap(ConsoleLogHandler.init(label:))
            let configuration: ServerConfiguration
            let platform: Platform
            do {
                configuration = try resolve(environment: ProcessInfo.processInfo.environment)
            } catch let error as ConfigurationError {
                FileHandle.standardError.write(Data("nimbus serve: error: \(error.description)\n".utf8))
                throw ExitCode(64)
            }
            var logger = Logger(label: "nimbus")
            logger.logLevel = configuration.logLevel
            do {
                platform = try await Platform.open(configuration, logger: logger)
            } catch let error as ConfigurationError {
                FileHandle.standardError.write(Data("nimbus serve: error: \(error.description)\n".utf8))
                throw ExitCode(64)
            }
            let authDescription = AuthPolicy.describe(platform.authMode)
            try await platform.run(logger: logger) { port in
                let banner = """
                    Nimbus \(NimbusVersion.current) listening on http://\(configuration.host):\(port)
                      data dir:  \(configuration.dataDirectory) (SQLite \(configuration.dataDirectory)/nimbus.sqlite)
                      account:   \(configuration.account.accountID) in \(configuration.account.region)
                      auth:      \(authDescription)
                      services:  \(platform.serviceNames.joined(separator: ", "))
                    """
                FileHandle.standardOutput.write(Data((banner + "\n").utf8))
            }
        }

        /// The configuration from flags, then `NIMBUS_*` variables, then defaults.
        func resolve(environment: [String: String]) throws -> ServerConfiguration {
            var configuration = ServerConfiguration()
            configuration.host = host ?? environment["NIMBUS_HOST"] ?? configuration.host
            configuration.port = try port ?? integer(environment["NIMBUS_PORT"], "NIMBUS_PORT") ?? configuration.port
            guard (0...65_535).contains(configuration.port) else { throw ConfigurationError("--port must be between 0 and 65535") }
            configuration.dataDirectory = dataDir ?? environment["NIMBUS_DATA_DIR"] ?? configuration.dataDirectory
            let accountID = accountId ?? environment["NIMBUS_ACCOUNT_ID"] ?? configuration.account.accountID
            guard AccountContext.isValidAccountID(accountID) else {
                throw ConfigurationError("--account-id must be exactly 12 digits, got '\(accountID)'")
            }
            let regionName = region ?? environment["NIMBUS_REGION"] ?? configuration.account.region
            guard AccountContext.isValidRegion(regionName) else {
                throw ConfigurationError("--region must look like us-east-1, got '\(regionName)'")
            }
            configuration.account = AccountContext(accountID: accountID, region: regionName)
            configuration.credentialsFile = credentials ?? environment["NIMBUS_CREDENTIALS"]
            configuration.verifySignatures =
                verifySignatures || ["1", "true", "yes"].contains(environment["NIMBUS_VERIFY_SIGNATURES"]?.lowercased() ?? "")
            configuration.maxBodySize =
                try maxBodySize ?? integer(environment["NIMBUS_MAX_BODY_SIZE"], "NIMBUS_MAX_BODY_SIZE") ?? configuration.maxBodySize
            guard configuration.maxBodySize > 0 else { throw ConfigurationError("--max-body-size must be positive") }
            if let grace = try shutdownGrace ?? integer(environment["NIMBUS_SHUTDOWN_GRACE"], "NIMBUS_SHUTDOWN_GRACE") {
                configuration.shutdownGracePeriod = .seconds(grace)
            }
            let levelName = logLevel ?? environment["NIMBUS_LOG_LEVEL"] ?? "info"
            guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
                throw ConfigurationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
            if let idle = try instanceIdleTimeout ?? integer(environment["NIMBUS_INSTANCE_IDLE_TIMEOUT"], "NIMBUS_INSTANCE_IDLE_TIMEOUT") {
                guard idle > 0 else { throw ConfigurationError("--instance-idle-timeout must be positive") }
                configuration.instanceIdleTimeout = .seconds(idle)
            }
            if let standbys = try standbyInstances ?? integer(environment["NIMBUS_STANDBY_INSTANCES"], "NIMBUS_STANDBY_INSTANCES") {
                guard (0...16).contains(standbys) else { throw ConfigurationError("--standby-instances must be between 0 and 16") }
                configuration.standbyInstances = standbys
            }
            if let limit = try accountConcurrency ?? integer(environment["NIMBUS_ACCOUNT_CONCURRENCY"], "NIMBUS_ACCOUNT_CONCURRENCY") {
                guard limit >= 100 else { throw ConfigurationError("--account-concurrency must be at least 100 (AWS keeps 100 unreserved)") }
                configuration.accountConcurrency = limit
            }
            if let base = try asyncRetryBase
                ?? environment["NIMBUS_ASYNC_RETRY_BASE"].map({ text in
                    guard let value = Double(text) else { throw ConfigurationError("NIMBUS_ASYNC_RETRY_BASE must be a number, got '\(text)'") }
                    return value
                })
            {
                guard base >= 0 else { throw ConfigurationError("--async-retry-base must not be negative") }
                configuration.asyncRetryBaseDelay = base
            }
            configuration.sandboxNamespaces =
                !noNamespaces && !["0", "false", "no"].contains(environment["NIMBUS_SANDBOX_NAMESPACES"]?.lowercased() ?? "")
            return configuration
        }

        private func integer(_ text: String?, _ name: String) throws -> Int? {
            guard let text else { return nil }
            guard let value = Int(text) else { throw ConfigurationError("\(name) must be an integer, got '\(text)'") }
            return value
        }
    }
}
