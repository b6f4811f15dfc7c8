import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
    package func invoke(_ input: LambdaShapes.InvocationRequest, context: RequestContext) async throws -> LambdaShapes.InvocationResponse {
        let type = input.invocationType ?? "RequestResponse"
        guard ["RequestResponse", "Event", "DryRun"].contains(type) else {
            throw AWSError.validation(
                "Value '\(type)' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
            )
        }
        guard input.logType == nil || input.logType == "None" || input.logType == "Tail" else {
            throw AWSError.validation(
                "Value '\(input.logType ?? "")' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]"
            )
        }
        var payload = input.payload.map { [UInt8]($0) } ?? []
        let limit = type == "Event" ? Self.asyncPayloadLimit : RuntimeAPIRequest.maximumBody
        guard payload.count <= limit else {
            throw AWSError(
                code: "RequestTooLargeException",
                status: 413,
                message: "Request must be smaller than \(limit) bytes for the InvokeFunction operation"
            )
        }
        if payload.isEmpty { payload = Array("{}".utf8) }
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        let record = try await resolve(name, account: context.account, routing: true)
        let version = record.configuration.version ?? "$LATEST"
        guard type != "DryRun" else { return .init(statusCode: 204) }

        let invocation = Invocation(
            requestID: context.requestID,
            payload: payload,
            deadlineMilliseconds: 0,
            invokedFunctionARN: name.invokedARN(in: context.account),
            traceID: context.request.header("x-amzn-trace-id") ?? TraceID.make(now: clock.now()),
            clientContext: try input.clientContext.map(Self.decodeClientContext),
            cognitoIdentity: nil
        )
        if type == "Event" {
            try await enqueueEvent(id: context.requestID, name: name, payload: payload)
            return .init(statusCode: 202)
        }
        let codeDirectory = try await codeDirectory(for: record)
        let result: InvocationResult
        do {
            result = try await invoker.invoke(
                invocation,
                function: record.configuration,
                codeDirectory: codeDirectory,
                captureTail: input.logType == "Tail"
            )
        } catch {
            throw error.awsError
        }
        return .init(
            executedVersion: version,
            functionError: result.functionError,
            logResult: result.logTail.map { Base64.encode($0) },
            payload: Data(result.payload),
            statusCode: 200
        )
    }

    /// AWS's limit on an asynchronous invocation's payload: 1 MB.
    static let asyncPayloadLimit = 1_048_576

    /// The client context header is base64 of a JSON object; the runtime gets the JSON.
    private static func decodeClientContext(_ text: String) throws(AWSError) -> String {
        guard let bytes = Base64.decode(text), case .object? = try? JSONParser.parse(bytes) else {
            throw AWSError(code: "InvalidRequestContentException", message: "Client context must be a valid Base64-encoded JSON object.")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The function's unpacked code, unpacked again from its stored zip if the folder is gone.
    /// The disk is looked at once per digest (`unpackedCode`): DeleteFunction, which removes
    /// folders, forgets their digests.
    func codeDirectory(for record: FunctionStore.Record) async throws -> String {
        let digest = record.codeDigest
        let directory = "\(codeRoot)/\(digest)"
        if unpackedCode.contains(digest) { return directory }
        if !FileManager.default.fileExists(atPath: directory) {
            guard let zip = try await blobs.get(Self.codeBlobKey(digest: digest)) else {
                throw AWSError(code: "ServiceException", status: 500, message: "The code of \(record.configuration.functionName ?? "") is missing")
            }
            _ = try CodePackage(zip: zip).unpack(under: codeRoot)
        }
        unpackedCode.insert(digest)
        return directory
    }
}

/// X-Ray trace headers: `Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`.
enum TraceID {
    static func make(now: Double) -> String {
        // Request ids come from a seeded generator: no system call on the hot path.
        let random = RequestID.make().utf8.filter { $0 != UInt8(ascii: "-") }
        let epoch = String(Int(now), radix: 16)
        let root = String(decoding: random[0..<24], as: UTF8.self)
        let parent = String(decoding: random[16..<32], as: UTF8.self)
        return "Root=1-\(epoch)-\(root);Parent=\(parent);Sampled=0"
    }
}
