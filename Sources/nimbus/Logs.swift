import ArgumentParser

extension Nimbus {
    /// `nimbus logs`: reads CloudWatch Logs from a running server.
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the logs of functions and log groups from a running Nimbus server.",
            subcommands: [Tail.self]
        )
    }
}
