#if canImport(Glibc)
@preconcurrency import Glibc  // `stdout`
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// A Lambda function written in Swift: a type that is initialized once per instance and then
/// handles one event at a time.
///
/// Mark the type `@main`; ``main()`` runs the Lambda Runtime API loop in the `bootstrap`
/// executable of a `provided.al2023` (or `provided.al2`) function:
///
/// ```swift
/// import NimbusLambdaRuntime
///
/// struct Request: Decodable { let name: String }
/// struct Greeting: Encodable { let greeting: String }
///
/// @main
/// struct Hello: LambdaHandler {
///     init(context: LambdaInitContext) async throws {}
///
///     func handle(_ event: Request, context: LambdaContext) async throws -> Greeting {
///         Greeting(greeting: "Hello, \(event.name)")
///     }
/// }
/// ```
///
/// The event payload is decoded from JSON with a default `JSONDecoder`, the output encoded with a
/// default `JSONEncoder`. An error thrown by ``handle(_:context:)`` fails that invocation (the
/// caller gets `FunctionError: Unhandled` and AWS's error object, with `errorType` the error's
/// Swift type name and `errorMessage` its `String(describing:)`); the instance stays warm and
/// serves the next event. See docs/swift-functions.md for the error types the runtime reports.
public protocol LambdaHandler {
    /// The event payload's type, decoded from the invocation's JSON.
    associatedtype Event: Decodable
    /// The response's type, encoded as the invocation's JSON result.
    associatedtype Output: Encodable

    /// Prepares the handler, once per instance (Lambda's init phase).
    ///
    /// - Throws: any error to fail initialization: it is reported to Lambda's `/init/error`
    ///   (which fails the pending invocation with it) and the process exits.
    init(context: LambdaInitContext) async throws

    /// Handles one invocation. Never called concurrently; state kept in `self` lives as long as
    /// the instance, across invocations.
    ///
    /// - Throws: any error to fail this invocation (see ``LambdaHandler``).
    mutating func handle(_ event: Event, context: LambdaContext) async throws -> Output
}

extension LambdaHandler {
    /// Runs the function: connects to the Runtime API named by `AWS_LAMBDA_RUNTIME_API`,
    /// initializes the handler, then serves invocations until Lambda stops the process.
    ///
    /// Standard output is made line-buffered, so each `print` reaches the function's log at once.
    /// If the Runtime API cannot be reached or answers as it only does when the instance is
    /// broken, or initialization fails, this prints why to standard error and exits with status 1.
    public static func main() async {
        setvbuf(stdout, nil, _IOLBF, 0)
        let environment = FunctionEnvironment.current()
        let logWriter = LogWriter.standardOutput
        do throws(LambdaRuntimeError) {
            guard let value = environment.runtimeAPI else {
                throw LambdaRuntimeError(.missingRuntimeAPIAddress)
            }
            let client = RuntimeAPIClient(address: try RuntimeAPIAddress(value)) { path, response in
                let body = String(decoding: response.body, as: UTF8.self)
                logWriter.log("Runtime API \(path) answered \(response.status): \(body)", level: "ERROR", requestID: nil)
            }
            let loop = LambdaRuntimeLoop<Self>(client: client, environment: environment, logWriter: logWriter)
            try await loop.run()
        } catch {
            let line = "\(error)\n"
            _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
            exit(1)
        }
    }
}
