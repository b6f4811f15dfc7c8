import ArgumentParser
import Foundation

extension Nimbus.Logs {
    /// `nimbus logs tail`: prints a log group's recent events, and with `--follow` the new
    /// ones as they are ingested, through `FilterLogEvents` on a running server.
    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a function's or log group's log events; with --follow, keep printing new ones.",
            discussion: """
                A plain name is a function: its events are in the log group /aws/lambda/<name>. \
                A name starting with / is a log group. Each event prints as \
                `<ISO 8601 timestamp> <log stream> <message>`, like `aws logs tail`.

                With --follow, new events print as they are ingested (polling about every 300 ms), \
                each once, in the order the server received them; stop with Ctrl-C.
                """
        )

        @Argument(help: "A function name, or a log group name starting with /.")
        var target: String

        @Flag(name: .shortAndLong, help: "Keep polling for new events until interrupted.")
        var follow = false

        @Option(help: "How far back to start: a number and a unit, s, m, h, d or w (e.g. 30s, 10m, 2h).")
        var since = LookBack(milliseconds: 600_000, text: "10m")

        @OptionGroup var server: EndpointOption

        /// The log group `target` names.
        var logGroup: String { target.hasPrefix("/") ? target : "/aws/lambda/\(target)" }

        /// Events per request while following.
        static let followPage = 1_000
        static let pollInterval = Duration.milliseconds(300)

        func validate() throws {
            guard !target.isEmpty else { throw ValidationError("the function or log group name is empty") }
        }

        func run() async throws {
            let client = try server.client()
            let startTime = Int64(Date().timeIntervalSince1970 * 1000) - since.milliseconds
            do throws(EdgeClient.Failure) {
                if follow {
                    try await followEvents(client, startTime: startTime)
                } else {
                    try await printEvents(client, startTime: startTime)
                }
            } catch .aws(let code, _) where code == "ResourceNotFoundException" {
                throw failure("log group \(logGroup) does not exist")
            } catch {
                throw failure(error.description)
            }
        }

        /// Every event since `startTime`, page by page, in time order; then returns.
        private func printEvents(_ client: EdgeClient, startTime: Int64) async throws(EdgeClient.Failure) {
            var token: String? = nil
            repeat {
                let page = try await filter(client, startTime: startTime, token: token, limit: nil)
                write(page.events ?? [])
                token = page.nextToken
            } while token != nil
        }

        /// Events since `startTime` as they are ingested, until interrupted. Pages on the
        /// server's follow cursor (`s/<group>/<sequence>`), so each event prints once even when
        /// many share a millisecond or arrive late with an older timestamp.
        private func followEvents(_ client: EdgeClient, startTime: Int64) async throws(EdgeClient.Failure) {
            var cursor = "s/0/0"
            var waitingSaid = false
            while true {
                let page: FilterPage
                do throws(EdgeClient.Failure) {
                    page = try await filter(client, startTime: startTime, token: cursor, limit: Self.followPage)
                } catch .aws(let code, _) where code == "ResourceNotFoundException" {
                    if !waitingSaid {
                        FileHandle.standardError.write(Data("nimbus logs tail: waiting for log group \(logGroup) to be created\n".utf8))
                        waitingSaid = true
                    }
                    try? await Task.sleep(for: Self.pollInterval)
                    continue
                }
                let events = page.events ?? []
                write(events)
                cursor = page.nextToken ?? cursor
                if events.count < Self.followPage {
                    try? await Task.sleep(for: Self.pollInterval)
                }
            }
        }

        private func filter(_ client: EdgeClient, startTime: Int64, token: String?, limit: Int?) async throws(EdgeClient.Failure) -> FilterPage {
            try await client.call(
                "Logs_20140328.FilterLogEvents",
                FilterRequest(logGroupName: logGroup, startTime: startTime, nextToken: token, limit: limit),
                as: FilterPage.self
            )
        }

        private func write(_ events: [FilterPage.Event]) {
            guard !events.isEmpty else { return }
            var text = ""
            for event in events {
                text += LogLineFormat.line(timestamp: event.timestamp ?? 0, stream: event.logStreamName ?? "", message: event.message ?? "")
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }

        /// Prints `message` as the command's one-line error; the exit code to throw.
        private func failure(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("nimbus logs tail: error: \(message)\n".utf8))
            return .failure
        }
    }
}

/// `FilterLogEvents`' request, the members the CLI sends.
struct FilterRequest: Encodable {
    var logGroupName: String
    var startTime: Int64
    var nextToken: String?
    var limit: Int?
}

/// `FilterLogEvents`' response, the members the CLI reads.
struct FilterPage: Decodable {
    struct Event: Decodable {
        var timestamp: Int64?
        var logStreamName: String?
        var message: String?
    }

    var events: [Event]?
    var nextToken: String?
}

/// A relative start time, as `aws logs tail --since` takes it: a number and one unit.
struct LookBack: ExpressibleByArgument, CustomStringConvertible {
    static let unitMilliseconds: [Character: Int64] = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]

    var milliseconds: Int64
    var text: String

    init(milliseconds: Int64, text: String) {
        self.milliseconds = milliseconds
        self.text = text
    }

    init?(argument: String) {
        guard let unit = argument.last, let scale = Self.unitMilliseconds[unit], let amount = Int64(argument.dropLast()), amount >= 0 else {
            return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self.init(milliseconds: product, text: argument)
    }

    var description: String { text }
}
