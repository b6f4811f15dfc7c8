import ArgumentParser
import Foundation

extension Nimbus {
    /// `nimbus invoke`: runs a function on a running server and prints its result.
    struct Invoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invoke a function and print its result.",
            discussion: """
                Calls Lambda's Invoke on the server (RequestResponse) and prints the function's \
                result on stdout. When the function fails, its error object is printed on stdout \
                too and the command exits with status 1. With --log, the invocation's log \
                (the last 4 KB, with START, END and REPORT) is printed on stderr.
                """
        )

        @Argument(help: "The function's name or ARN.")
        var function: String

        @Option(help: "The event, as JSON (default: {}).")
        var payload: String?

        @Option(help: "Read the event from a file ('-' for stdin).")
        var payloadFile: String?

        @Flag(help: "Print the invocation's log on stderr.")
        var log = false

        @OptionGroup var server: EndpointOption

        func validate() throws {
            guard payload == nil || payloadFile == nil else { throw ValidationError("give --payload or --payload-file, not both") }
        }

        func run() async throws {
            let event = try readPayload()
            let client = try server.client()
            let name = function.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? function
            let answer: (status: Int, headers: [String: String], body: Data)
            do {
                answer = try await client.send(
                    "POST",
                    path: "/2015-03-31/functions/\(name)/invocations",
                    headers: ["Content-Type": "application/json", "X-Amz-Log-Type": log ? "Tail" : "None"],
                    body: event
                )
            } catch {
                FileHandle.standardError.write(Data("nimbus invoke: error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
            if log, let tail = answer.headers["x-amz-log-result"], let text = Data(base64Encoded: tail) {
                FileHandle.standardError.write(text)
            }
            FileHandle.standardOutput.write(answer.body + Data("\n".utf8))
            if answer.headers["x-amz-function-error"] != nil { throw ExitCode.failure }
        }

        private func readPayload() throws -> Data {
            if let payloadFile {
                let data = payloadFile == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: payloadFile)
                guard let data else { throw ValidationError("cannot read \(payloadFile)") }
                return data
            }
            return Data((payload ?? "{}").utf8)
        }
    }
}
