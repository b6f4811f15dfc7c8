#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The runtime's loop: initialize the handler once, then `next` → decode → handle → encode →
/// report, one invocation at a time, as AWS's runtimes do
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-build).
struct LambdaRuntimeLoop<Handler: LambdaHandler> {
    let client: RuntimeAPIClient
    let environment: FunctionEnvironment
    let logWriter: LogWriter

    /// Runs until `limit` invocations have been reported (forever when nil).
    ///
    /// - Throws: `.initializationFailed` after reporting the initializer's error to
    ///   `/init/error`; `.missingHeader` when a `next` response has no request id (so there is
    ///   nothing to report to); any transport or status error of the Runtime API.
    func run(invocations limit: Int? = nil) async throws(LambdaRuntimeError) {
        var handler: Handler
        do {
            handler = try await Handler(context: LambdaInitContext(environment: environment, logWriter: logWriter))
        } catch {
            let report = FunctionError(thrown: error)
            logWriter.log("Init Error \t" + report.json, level: "ERROR", requestID: nil)
            try await client.postInitError(report)
            throw LambdaRuntimeError(.initializationFailed(report.message))
        }
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        var pending: RuntimeAPIClient.Report?
        var served = 0
        while limit.map({ served < $0 }) ?? true {
            let invocation = try await client.next(after: pending)
            pending = try await serve(invocation, with: &handler, decoder: decoder, encoder: encoder)
            served += 1
        }
        if let pending {
            try await client.post(pending)
        }
    }

    private func serve(
        _ invocation: RuntimeAPIClient.Invocation,
        with handler: inout Handler,
        decoder: JSONDecoder,
        encoder: JSONEncoder
    ) async throws(LambdaRuntimeError) -> RuntimeAPIClient.Report {
        let metadata: InvocationMetadata
        do {
            metadata = try InvocationMetadata(headers: invocation.headers)
        } catch {
            // Without a request id there is no invocation to fail: the instance is broken.
            guard let requestID = invocation.headers[InvocationMetadata.Header.requestID], !requestID.isEmpty else { throw error }
            return failed(requestID, FunctionError(type: FunctionError.RuntimeType.contextUnmarshal, message: error.message))
        }
        // AWS's runtimes expose the trace header to the SDKs (X-Ray) through this variable.
        if let traceID = metadata.traceID {
            setenv("_X_AMZN_TRACE_ID", traceID, 1)
        } else {
            unsetenv("_X_AMZN_TRACE_ID")
        }
        let context = LambdaContext(metadata: metadata, environment: environment, logWriter: logWriter)

        let event: Handler.Event
        do {
            event = try decoder.decode(Handler.Event.self, from: Data(invocation.body))
        } catch {
            let message = "Unable to unmarshal input: " + describe(error)
            return failed(metadata.requestID, FunctionError(type: FunctionError.RuntimeType.unmarshal, message: message))
        }
        let output: Handler.Output
        do {
            output = try await handler.handle(event, context: context)
        } catch {
            return failed(metadata.requestID, FunctionError(thrown: error))
        }
        do {
            return .response(requestID: metadata.requestID, body: Array(try encoder.encode(output)))
        } catch {
            let message = "Unable to marshal response: " + describe(error)
            return failed(metadata.requestID, FunctionError(type: FunctionError.RuntimeType.marshal, message: message))
        }
    }

    /// Logs the error as AWS's runtimes do (`ERROR  Invoke Error  {…}`) and makes its report.
    private func failed(_ requestID: String, _ error: FunctionError) -> RuntimeAPIClient.Report {
        logWriter.log("Invoke Error \t" + error.json, level: "ERROR", requestID: requestID)
        return .error(requestID: requestID, error)
    }
}

/// A coding error as a reader wants it: where and what was wrong (`name: Expected to decode
/// String but found number instead.`), not the enum's debug dump.
func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
        describe(context.codingPath, context.debugDescription, context.underlyingError)
    case DecodingError.keyNotFound(let key, let context):
        describe(context.codingPath, "No value for key '\(key.stringValue)'.", nil)
    case EncodingError.invalidValue(_, let context):
        describe(context.codingPath, context.debugDescription, context.underlyingError)
    default:
        String(describing: error)
    }
}

private func describe(_ codingPath: [any CodingKey], _ description: String, _ underlying: (any Error)?) -> String {
    var text = ""
    for key in codingPath {
        if let index = key.intValue {
            text += "[\(index)]"
        } else {
            text += (text.isEmpty ? "" : ".") + key.stringValue
        }
    }
    text += (text.isEmpty ? "" : ": ") + description
    if let underlying {
        text += " (\(underlying))"
    }
    return text
}
