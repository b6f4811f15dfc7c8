import ArgumentParser
import Foundation

extension Nimbus {
    /// `nimbus functions`: what runs on a server, one function per line.
    struct Functions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the functions of a running server with their versions, aliases, instances and concurrency.",
            discussion: """
                Reads GET /_nimbus/functions. The table shows, per function: its runtime; its \
                versions and aliases (alias=version, with a weighted additional version); its \
                instances (live/idle); invocations running now and the reserved concurrency; \
                and, since the server started, invocations, errors and throttles. --json prints \
                the server's whole answer, counters of asynchronous invocation included.
                """,
            aliases: ["ls"]
        )

        @Flag(help: "Print the server's JSON instead of a table.")
        var json = false

        @OptionGroup var server: EndpointOption

        func run() async throws {
            let client = try server.client()
            let answer: (status: Int, headers: [String: String], body: Data)
            do {
                answer = try await client.send("GET", path: "/_nimbus/functions")
            } catch {
                FileHandle.standardError.write(Data("nimbus functions: error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
            if json {
                FileHandle.standardOutput.write(answer.body + Data("\n".utf8))
                return
            }
            let listing = try JSONDecoder().decode(Listing.self, from: answer.body)
            print(Self.table(listing.functions))
        }

        struct Listing: Decodable {
            var functions: [Function]
        }

        struct Function: Decodable {
            var name: String
            var runtime: String
            var versions: [String]
            var aliases: [String: String]
            var instances: Instances
            var runningInvocations: Int
            var reservedConcurrency: Int?
            var metrics: Metrics

            struct Instances: Decodable {
                var live: Int
                var idle: Int
            }

            struct Metrics: Decodable {
                var invocations: Int
                var errors: Int
                var throttles: Int
            }
        }

        static func table(_ functions: [Function]) -> String {
            let header = ["NAME", "RUNTIME", "VERSIONS", "ALIASES", "INSTANCES", "RUNNING", "RESERVED", "INVOCATIONS", "ERRORS", "THROTTLES"]
            let rows = functions.map { function in
                [
                    function.name,
                    function.runtime,
                    function.versions.joined(separator: ","),
                    function.aliases.isEmpty
                        ? "-" : function.aliases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                    "\(function.instances.live) (\(function.instances.idle) idle)",
                    String(function.runningInvocations),
                    function.reservedConcurrency.map(String.init) ?? "-",
                    String(function.metrics.invocations),
                    String(function.metrics.errors),
                    String(function.metrics.throttles),
                ]
            }
            guard !rows.isEmpty else { return "no functions" }
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            return ([header] + rows).map { row in
                row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces)
            }.joined(separator: "\n")
        }
    }
}
