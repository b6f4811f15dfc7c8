import Testing

@testable import NimbusLambdaRuntime

/// Reading a `next` response's headers: every missing or malformed header is named.
struct InvocationMetadataTests {
    static let complete: [String: String] = [
        "Lambda-Runtime-Aws-Request-Id": "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
        "Lambda-Runtime-Deadline-Ms": "1542409706888",
        "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime",
        "Lambda-Runtime-Trace-Id": "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
    ]

    static func headers(_ changes: [String: String?]) -> HTTPHeaders {
        var fields = complete
        for (name, value) in changes { fields[name] = value }
        var headers = HTTPHeaders()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            headers.append(name: name.uppercased(), value: value)  // names are case-insensitive
        }
        return headers
    }

    @Test func readsAWSHeaders() throws {
        let metadata = try InvocationMetadata(
            headers: Self.headers([
                "Lambda-Runtime-Client-Context": #"{"custom":{"k":"v"}}"#,
                "Lambda-Runtime-Cognito-Identity": #"{"cognitoIdentityId":"id"}"#,
            ])
        )
        #expect(metadata.requestID == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        #expect(metadata.deadlineMilliseconds == 1_542_409_706_888)
        #expect(metadata.invokedFunctionARN == "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime")
        #expect(metadata.traceID == "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
        #expect(metadata.clientContext == #"{"custom":{"k":"v"}}"#)
        #expect(metadata.cognitoIdentity == #"{"cognitoIdentityId":"id"}"#)
    }

    @Test func optionalHeadersMayBeAbsentOrEmpty() throws {
        let metadata = try InvocationMetadata(headers: Self.headers(["Lambda-Runtime-Trace-Id": "", "Lambda-Runtime-Client-Context": nil]))
        #expect(metadata.traceID == nil && metadata.clientContext == nil && metadata.cognitoIdentity == nil)
    }

    @Test(
        arguments: [
            (["Lambda-Runtime-Aws-Request-Id": nil], LambdaRuntimeError.Code.missingHeader("Lambda-Runtime-Aws-Request-Id")),
            (["Lambda-Runtime-Aws-Request-Id": ""], .missingHeader("Lambda-Runtime-Aws-Request-Id")),
            (["Lambda-Runtime-Deadline-Ms": nil], .missingHeader("Lambda-Runtime-Deadline-Ms")),
            (["Lambda-Runtime-Deadline-Ms": "soon"], .malformedHeader("Lambda-Runtime-Deadline-Ms", "soon")),
            (["Lambda-Runtime-Deadline-Ms": "-5"], .malformedHeader("Lambda-Runtime-Deadline-Ms", "-5")),
            (["Lambda-Runtime-Deadline-Ms": "1.5e12"], .malformedHeader("Lambda-Runtime-Deadline-Ms", "1.5e12")),
            (["Lambda-Runtime-Invoked-Function-Arn": nil], .missingHeader("Lambda-Runtime-Invoked-Function-Arn")),
        ] as [([String: String?], LambdaRuntimeError.Code)]
    )
    func namesTheMissingOrMalformedHeader(changes: [String: String?], expected: LambdaRuntimeError.Code) {
        #expect(throws: LambdaRuntimeError(expected)) {
            try InvocationMetadata(headers: Self.headers(changes))
        }
    }

    @Test func errorDescriptionSaysWhichHeaderAndWhere() {
        let error = LambdaRuntimeError(.malformedHeader("Lambda-Runtime-Deadline-Ms", "soon"))
        #expect(error.message == "the Runtime API's next invocation has a malformed Lambda-Runtime-Deadline-Ms header: 'soon'")
        #expect(error.description.hasPrefix("LambdaRuntimeError(NimbusLambdaRuntimeTests/InvocationMetadataTests.swift:"))
    }
}
