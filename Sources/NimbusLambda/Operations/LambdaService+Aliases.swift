import Foundation
import NimbusCore
package import NimbusWire

extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html
    package func createAlias(_ input: LambdaShapes.CreateAliasRequest, context: RequestContext) async throws -> LambdaShapes.AliasConfiguration {
        let name = try unqualifiedName(input.functionName, account: context.account)
        try Self.validateAliasName(input.name)
        let routing = try await checkedRouting(input.functionVersion, input.routingConfig, of: name, account: context.account)
        let configuration = LambdaShapes.AliasConfiguration(
            aliasArn: "\(name.arn(in: context.account)):\(input.name)",
            description: input.description ?? "",
            functionVersion: routing.functionVersion,
            name: input.name,
            revisionId: UUID().uuidString.lowercased(),
            routingConfig: input.routingConfig
        )
        guard try await functions.insertAlias(configuration, of: name.name) else {
            throw AWSError(code: "ResourceConflictException", status: 409, message: "Alias already exists: \(configuration.aliasArn ?? "")")
        }
        return configuration
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetAlias.html
    package func getAlias(_ input: LambdaShapes.GetAliasRequest, context: RequestContext) async throws -> LambdaShapes.AliasConfiguration {
        let name = try unqualifiedName(input.functionName, account: context.account)
        return try await existingAlias(input.name, of: name, account: context.account)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html
    package func updateAlias(_ input: LambdaShapes.UpdateAliasRequest, context: RequestContext) async throws -> LambdaShapes.AliasConfiguration {
        let name = try unqualifiedName(input.functionName, account: context.account)
        var configuration = try await existingAlias(input.name, of: name, account: context.account)
        let current = configuration.revisionId ?? ""
        try Self.checkRevision(input.revisionId, of: current)
        let routing = try await checkedRouting(
            input.functionVersion ?? configuration.functionVersion ?? "$LATEST",
            input.routingConfig ?? configuration.routingConfig,
            of: name,
            account: context.account
        )
        configuration.functionVersion = routing.functionVersion
        configuration.routingConfig = input.routingConfig ?? configuration.routingConfig
        if let description = input.description { configuration.description = description }
        configuration.revisionId = UUID().uuidString.lowercased()
        guard try await functions.updateAlias(configuration, of: name.name, expectedRevision: current) else { throw AWSError.revisionMismatch }
        return configuration
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteAlias.html
    package func deleteAlias(_ input: LambdaShapes.DeleteAliasRequest, context: RequestContext) async throws {
        let name = try unqualifiedName(input.functionName, account: context.account)
        _ = try await record(name, account: context.account)
        try await functions.deleteAlias(input.name, of: name.name)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListAliases.html
    package func listAliases(_ input: LambdaShapes.ListAliasesRequest, context: RequestContext) async throws -> LambdaShapes.ListAliasesResponse {
        let name = try unqualifiedName(input.functionName, account: context.account)
        _ = try await record(name, account: context.account)
        let limit = try Self.pageSize(input.maxItems)
        var after = input.marker.flatMap(Self.markerName) ?? ""
        var listed: [LambdaShapes.AliasConfiguration] = []
        var exhausted = false
        // The version filter applies after paging through the table, so keep reading until a page is full.
        while listed.count <= limit && !exhausted {
            let page = try await functions.aliases(of: name.name, after: after, limit: limit + 1)
            exhausted = page.count <= limit
            after = page.last?.name ?? after
            listed += page.filter { alias in
                input.functionVersion.map { alias.functionVersion == $0 || alias.routingConfig?.additionalVersionWeights?[$0] != nil } ?? true
            }
        }
        let more = listed.count > limit
        listed = Array(listed.prefix(limit))
        return .init(aliases: listed, nextMarker: more ? listed.last?.name.map(Self.marker) : nil)
    }

    /// The function name of an alias operation, which must not carry a qualifier.
    private func unqualifiedName(_ text: String, account: AccountContext) throws(AWSError) -> FunctionName {
        let name = try FunctionName(text, account: account)
        guard name.qualifier == nil else { throw .invalidParameter("The function name must not be qualified for alias operations") }
        return name
    }

    private func existingAlias(_ alias: String, of name: FunctionName, account: AccountContext) async throws -> LambdaShapes.AliasConfiguration {
        _ = try await record(name, account: account)
        guard let configuration = try await functions.alias(alias, of: name.name) else {
            throw AWSError(code: "ResourceNotFoundException", status: 404, message: "Cannot find alias arn: \(name.arn(in: account)):\(alias)")
        }
        return configuration
    }

    /// The routing, validated, with every version it names published.
    private func checkedRouting(
        _ functionVersion: String,
        _ routingConfig: LambdaShapes.AliasRoutingConfiguration?,
        of name: FunctionName,
        account: AccountContext
    ) async throws -> AliasRouting {
        let routing = try AliasRouting(functionVersion: functionVersion, weights: routingConfig?.additionalVersionWeights)
        for version in [routing.functionVersion] + (routing.additional.map { [$0.version] } ?? []) {
            _ = try await resolve(FunctionName(name: name.name, qualifier: version), account: account)
        }
        return routing
    }

    /// Alias names: 1–128 letters, digits, `-` and `_`, not all digits (that would be a version).
    static func validateAliasName(_ alias: String) throws(AWSError) {
        let allowed = alias.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 }
        guard (1...128).contains(alias.utf8.count), allowed, !alias.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .validation(
                "1 validation error detected: Value '\(alias)' at 'name' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"
            )
        }
    }
}
