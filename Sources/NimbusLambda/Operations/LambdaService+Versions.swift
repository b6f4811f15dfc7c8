import Foundation
import NimbusCore
package import NimbusWire

extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
    package func publishVersion(
        _ input: LambdaShapes.PublishVersionRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.FunctionConfiguration
    {
        let name = try FunctionName(input.functionName, account: context.account)
        guard name.qualifier == nil else { throw AWSError.invalidParameter("PublishVersion does not take a qualified function name") }
        let latest = try await record(name, account: context.account)
        try Self.checkRevision(input.revisionId, of: latest.configuration.revisionId)
        if let sha = input.codeSha256, sha != latest.configuration.codeSha256 {
            throw AWSError.invalidParameter(
                "CodeSHA256 (\(sha)) is different from current CodeSHA256 in $LATEST (\(latest.configuration.codeSha256 ?? "")). "
                    + "Please try again with the CodeSHA256 in $LATEST."
            )
        }
        return try await publish(latest, description: input.description, account: context.account)
    }

    /// Publishes `latest` as the next version (or answers with the last one when `$LATEST`
    /// has not changed since, as AWS does).
    func publish(_ latest: FunctionStore.Record, description: String?, account: AccountContext) async throws -> LambdaShapes.FunctionConfiguration {
        let arn = FunctionName(name: latest.configuration.functionName ?? "", qualifier: nil).arn(in: account)
        let published = lastModified()
        let publication = try await functions.publish(latest, now: clock.now()) { number in
            var configuration = latest.configuration
            configuration.version = String(number)
            configuration.functionArn = "\(arn):\(number)"
            configuration.revisionId = UUID().uuidString.lowercased()
            configuration.description = description ?? latest.configuration.description
            configuration.lastModified = published
            configuration.state = "Active"
            configuration.lastUpdateStatus = "Successful"
            return configuration
        }
        switch publication {
        case .published(let version), .unchanged(let version):
            return version.configuration
        case .stale:
            throw AWSError.revisionMismatch
        }
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListVersionsByFunction.html
    package func listVersionsByFunction(
        _ input: LambdaShapes.ListVersionsByFunctionRequest,
        context: RequestContext
    ) async throws
        -> LambdaShapes.ListVersionsByFunctionResponse
    {
        let name = try FunctionName(input.functionName, account: context.account)
        let latest = try await record(FunctionName(name: name.name, qualifier: nil), account: context.account)
        let limit = try Self.pageSize(input.maxItems)
        // The marker is the last version listed; `$LATEST` comes first, as version 0.
        let after = try input.marker.map(Self.versionMarker) ?? -1
        var listed: [LambdaShapes.FunctionConfiguration] = after < 0 ? [latest.configuration] : []
        let versions = try await functions.versions(of: name.name, after: max(after, 0), limit: limit + 1 - listed.count)
        listed += versions.map(\.configuration)
        let more = listed.count > limit
        listed = Array(listed.prefix(limit))
        let last = listed.last.map { Int($0.version ?? "") ?? 0 }
        return .init(nextMarker: more ? last.map { Self.marker(String($0)) } : nil, versions: listed)
    }

    private static func versionMarker(_ marker: String) throws(AWSError) -> Int {
        guard let text = markerName(marker), let number = Int(text), number >= 0 else {
            throw .invalidParameter("Invalid marker: \(marker)")
        }
        return number
    }

    /// AWS's answer to a `RevisionId` that is not the resource's current one.
    static func checkRevision(_ expected: String?, of current: String?) throws(AWSError) {
        guard let expected, expected != current else { return }
        throw .revisionMismatch
    }
}

extension AWSError {
    static let revisionMismatch = AWSError(
        code: "PreconditionFailedException",
        status: 412,
        message:
            "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"
    )
}
