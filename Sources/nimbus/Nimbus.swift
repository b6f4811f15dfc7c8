import ArgumentParser
import NimbusServer

/// The `nimbus` command: `serve` runs the platform; the other subcommands (`invoke`, `logs`, `functions`) are clients of a running server.
@main
struct Nimbus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nimbus",
        abstract: "A self-hosted serverless platform that speaks the AWS APIs.",
        discussion: """
            Nimbus runs functions with AWS Lambda semantics and serves the AWS services they use \
            over the AWS wire protocols, so boto3, the AWS CLI and the AWS SDKs work against it \
            unchanged: point them at the server with --endpoint-url http://127.0.0.1:4566.
            """,
        version: NimbusVersion.current,
        subcommands: [Serve.self, Invoke.self, Logs.self, Functions.self]
    )
}
