/// An error reported to the Runtime API, in AWS's error object format:
/// `{"errorMessage": …, "errorType": …, "stackTrace": []}`. Lambda returns this object as the
/// invoke response's payload, with `X-Amz-Function-Error: Unhandled`.
struct FunctionError: Sendable, Equatable {
    /// The runtime's own error types, named as AWS's managed runtimes name them.
    enum RuntimeType {
        /// The event payload is not JSON for the handler's `Event` type.
        static let unmarshal = "Runtime.UnmarshalError"
        /// The handler's `Output` could not be encoded as JSON.
        static let marshal = "Runtime.MarshalError"
        /// The `next` response's headers do not describe an invocation.
        static let contextUnmarshal = "Runtime.LambdaContextUnmarshalError"
    }

    var type: String
    var message: String

    /// The error a handler threw: its Swift type name (`GreetingError`, not module-qualified)
    /// and `String(describing:)` of it.
    init(thrown error: any Error) {
        self.type = String(describing: Swift.type(of: error))
        self.message = String(describing: error)
    }

    init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    /// The JSON body.
    var json: String {
        #"{"errorMessage":"# + jsonString(message) + #","errorType":"# + jsonString(type) + #","stackTrace":[]}"#
    }
}

/// `text` as a JSON string literal (quotes included).
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
