import NimbusLambdaRuntime

/// The event: `{"name": "Ada"}`; without a name, the world is greeted.
struct Request: Decodable {
    var name: String?
}

/// The response: `{"greeting": "Hello, Ada", "requestId": "…", "remainingMs": 2998, "invocations": 1}`.
struct Greeting: Encodable {
    var greeting: String
    var requestId: String
    var remainingMs: Int
    /// How many events this instance has greeted: instances are reused while warm.
    var invocations: Int
}

/// Thrown for the name "fail": the caller gets `FunctionError: Unhandled` and
/// `{"errorType": "GreetingError", "errorMessage": "refusing to greet 'fail'", "stackTrace": []}`.
struct GreetingError: Error, CustomStringConvertible {
    var name: String
    var description: String { "refusing to greet '\(name)'" }
}

@main
struct Hello: LambdaHandler {
    private var invocations = 0

    init(context: LambdaInitContext) async throws {
        context.log("initializing \(context.functionName) \(context.functionVersion) with \(context.memoryLimitInMB) MB")
    }

    mutating func handle(_ event: Request, context: LambdaContext) async throws -> Greeting {
        let name = event.name ?? "World"
        guard name != "fail" else {
            throw GreetingError(name: name)
        }
        invocations += 1
        context.log("greeting \(name)")
        return Greeting(
            greeting: "Hello, \(name)",
            requestId: context.requestID,
            remainingMs: Int(context.remainingTime() / .milliseconds(1)),
            invocations: invocations
        )
    }
}
