import Foundation
import NimbusSandbox
import NimbusWire

/// The error object Lambda returns for a failed invocation: `{"errorMessage": …, "errorType": …}`,
/// as the runtime reported it or as the platform wrote it (timeouts, crashes, memory).
struct ErrorPayload: Hashable {
    var type: String
    var message: String

    var json: [UInt8] { JSONWriter.encode(.object(["errorMessage": .string(message), "errorType": .string(type)])) }

    /// `Task timed out after 3.00 seconds`, as AWS words it.
    static func timedOut(requestID: String, after seconds: Double) -> ErrorPayload {
        ErrorPayload(type: "Sandbox.Timedout", message: "RequestId: \(requestID) Error: \(timeoutText(seconds))")
    }

    static func timeoutText(_ seconds: Double) -> String {
        "Task timed out after \(seconds.twoDecimals) seconds"
    }

    /// The runtime process ended while it was initialising or handling an event.
    static func exited(requestID: String, exit: ChildProcess.Exit) -> ErrorPayload {
        let reason =
            switch exit {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): signal == SIGKILL ? "signal: killed" : "signal: \(String(cString: strsignal(signal)))"
            }
        return ErrorPayload(type: "Runtime.ExitError", message: "RequestId: \(requestID) Error: Runtime exited with error: \(reason)")
    }

    static func outOfMemory(requestID: String) -> ErrorPayload {
        ErrorPayload(type: "Runtime.OutOfMemory", message: "RequestId: \(requestID) Error: Runtime exited with error: signal: killed")
    }

    static func responseTooLarge() -> ErrorPayload {
        ErrorPayload(
            type: "Function.ResponseSizeTooLarge",
            message: "Response payload size exceeded maximum allowed payload size (\(RuntimeAPIRequest.maximumBody) bytes)."
        )
    }

    /// Why no instance could start (`Runtime.InvalidEntrypoint`, `Runtime.Unknown`).
    static func launchFailure(_ error: LaunchError, requestID: String) -> ErrorPayload {
        ErrorPayload(type: error.type, message: "RequestId: \(requestID) Error: \(error.detail)")
    }

    /// The `errorMessage` of an error body a runtime posted, when it is a JSON object that has one.
    static func message(in body: [UInt8]) -> String? {
        guard case .object(let members)? = try? JSONParser.parse(body), case .string(let message)? = members["errorMessage"] else { return nil }
        return message
    }

    /// The `errorType` of an error body a runtime posted, when it is a JSON object that has one.
    static func type(in body: [UInt8]) -> String? {
        guard case .object(let members)? = try? JSONParser.parse(body), case .string(let type)? = members["errorType"] else { return nil }
        return type
    }
}
