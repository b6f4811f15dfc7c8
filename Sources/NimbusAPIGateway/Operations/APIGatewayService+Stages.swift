import NimbusCore
package import NimbusWire

/// CreateStage, GetStage(s), UpdateStage, DeleteStage.
extension APIGatewayService {
    package func createStage(
        _ input: APIGatewayShapes.CreateStageRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.CreateStageResponse {
        try Validation.stageName(input.stageName)
        try Validation.stageVariables(input.stageVariables ?? [:])
        try Validation.routeSettings(input.defaultRouteSettings)
        for settings in (input.routeSettings ?? [:]).values { try Validation.routeSettings(settings) }
        try Validation.accessLog(input.accessLogSettings)
        var stage = try APIGatewayShapes.Stage.converting(input)
        stage.createdDate = now()
        stage.lastUpdatedDate = stage.createdDate
        stage.autoDeploy = input.autoDeploy ?? false
        stage.defaultRouteSettings = input.defaultRouteSettings ?? APIGatewayShapes.RouteSettings(detailedMetricsEnabled: false)
        stage.routeSettings = input.routeSettings ?? [:]
        stage.stageVariables = input.stageVariables ?? [:]
        stage.tags = input.tags ?? [:]
        let created = try await registry.insert(stage, as: .stage, in: input.apiId) { [stage] state in
            guard state.stages.count < 10 else { throw AWSError.badRequest("An HTTP API has at most 10 stages") }
            guard state.stages[stage.stageName] == nil else { throw AWSError.conflict("Stage \(stage.stageName) already exists") }
            if let deployment = stage.deploymentId, state.deployments[deployment] == nil { throw AWSError.notFound("Deployment", deployment) }
        }
        return try .converting(created)
    }

    package func getStage(_ input: APIGatewayShapes.GetStageRequest, context: RequestContext) async throws -> APIGatewayShapes.GetStageResponse {
        try .converting(try await registry.item(.stage, input.stageName, in: input.apiId))
    }

    package func getStages(_ input: APIGatewayShapes.GetStagesRequest, context: RequestContext) async throws -> APIGatewayShapes.GetStagesResponse {
        let page = try await registry.page(.stage, in: input.apiId, maxResults: input.maxResults, nextToken: input.nextToken)
        return APIGatewayShapes.GetStagesResponse(items: page.items, nextToken: page.nextToken)
    }

    package func updateStage(
        _ input: APIGatewayShapes.UpdateStageRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.UpdateStageResponse {
        try Validation.stageVariables(input.stageVariables ?? [:])
        try Validation.routeSettings(input.defaultRouteSettings)
        for settings in (input.routeSettings ?? [:]).values { try Validation.routeSettings(settings) }
        try Validation.accessLog(input.accessLogSettings)
        let updated = try await registry.update(.stage, input.stageName, in: input.apiId) { [now = now()] stage, state in
            if let autoDeploy = input.autoDeploy { stage.autoDeploy = autoDeploy }
            if let deployment = input.deploymentId {
                guard state.deployments[deployment] != nil else { throw AWSError.notFound("Deployment", deployment) }
                stage.deploymentId = deployment
            }
            if let description = input.description { stage.description = description }
            if let settings = input.defaultRouteSettings { stage.defaultRouteSettings = settings }
            if let settings = input.routeSettings { stage.routeSettings = (stage.routeSettings ?? [:]).merging(settings) { $1 } }
            if let variables = input.stageVariables { stage.stageVariables = (stage.stageVariables ?? [:]).merging(variables) { $1 } }
            if let logs = input.accessLogSettings { stage.accessLogSettings = logs }
            stage.lastUpdatedDate = now
        }
        return try .converting(updated)
    }

    package func deleteStage(_ input: APIGatewayShapes.DeleteStageRequest, context: RequestContext) async throws {
        try await registry.delete(.stage, input.stageName, in: input.apiId)
    }
}
