import NimbusCore
import NimbusWire
import Testing

@testable import NimbusAPIGateway

/// The operations every API item shares (Create, Get, Get*s, Update, Delete), through two
/// kinds: AWS's NotFoundException naming the kind, paging in id order, changes kept, and a
/// delete refused while a route uses the item.
@Suite struct ControlPlaneItemsTests {
    @Test func integrationsPageUpdateAndRefuseDeletesInUse() async throws {
        try await withGateway { service in
            let apiId = try #require(try await service.createApi(.init(name: "items", protocolType: "HTTP"), context: context()).apiId)
            var ids: [String] = []
            for _ in 0..<3 {
                let created = try await service.createIntegration(
                    .init(apiId: apiId, integrationType: "AWS_PROXY", integrationUri: functionARN, payloadFormatVersion: "2.0"),
                    context: context()
                )
                ids.append(try #require(created.integrationId))
            }
            let first = try await service.getIntegrations(.init(apiId: apiId, maxResults: "2"), context: context())
            #expect(first.items?.compactMap(\.integrationId) == Array(ids.sorted().prefix(2)))
            let second = try await service.getIntegrations(.init(apiId: apiId, nextToken: first.nextToken), context: context())
            #expect(second.items?.compactMap(\.integrationId) == [ids.sorted()[2]] && second.nextToken == nil)

            _ = try await service.updateIntegration(.init(apiId: apiId, integrationId: ids[0], timeoutInMillis: 5000), context: context())
            #expect(try await service.getIntegration(.init(apiId: apiId, integrationId: ids[0]), context: context()).timeoutInMillis == 5000)

            _ = try await service.createRoute(.init(apiId: apiId, routeKey: "GET /x", target: "integrations/\(ids[0])"), context: context())
            let conflict = await #expect(throws: AWSError.self) {
                try await service.deleteIntegration(.init(apiId: apiId, integrationId: ids[0]), context: context())
            }
            #expect(conflict?.code == "ConflictException")
            try await service.deleteIntegration(.init(apiId: apiId, integrationId: ids[1]), context: context())
            let missing = await #expect(throws: AWSError.self) {
                try await service.getIntegration(.init(apiId: apiId, integrationId: ids[1]), context: context())
            }
            #expect(missing?.code == "NotFoundException" && missing?.status == 404)
            #expect(missing?.message == "Invalid Integration identifier specified \(ids[1])")
        }
    }

    @Test func authorizersUpdateDeleteAndNameTheirKindWhenMissing() async throws {
        try await withGateway { service in
            let apiId = try #require(try await service.createApi(.init(name: "auth", protocolType: "HTTP"), context: context()).apiId)
            let created = try await service.createAuthorizer(
                .init(
                    apiId: apiId,
                    authorizerType: "JWT",
                    identitySource: ["$request.header.Authorization"],
                    jwtConfiguration: .init(audience: ["app"], issuer: "https://issuer.example"),
                    name: "jwt"
                ),
                context: context()
            )
            let id = try #require(created.authorizerId)
            _ = try await service.updateAuthorizer(.init(apiId: apiId, authorizerId: id, name: "renamed"), context: context())
            #expect(try await service.getAuthorizer(.init(apiId: apiId, authorizerId: id), context: context()).name == "renamed")
            let refused = await #expect(throws: AWSError.self) {
                try await service.updateAuthorizer(.init(apiId: apiId, authorizerId: id, authorizerType: "TOKEN"), context: context())
            }
            #expect(refused?.code == "BadRequestException")
            #expect(try await service.getAuthorizer(.init(apiId: apiId, authorizerId: id), context: context()).authorizerType == "JWT")
            try await service.deleteAuthorizer(.init(apiId: apiId, authorizerId: id), context: context())
            let missing = await #expect(throws: AWSError.self) {
                try await service.deleteAuthorizer(.init(apiId: apiId, authorizerId: id), context: context())
            }
            #expect(missing?.message == "Invalid Authorizer identifier specified \(id)")
            #expect(try await service.getAuthorizers(.init(apiId: apiId), context: context()).items?.isEmpty == true)
        }
    }
}
