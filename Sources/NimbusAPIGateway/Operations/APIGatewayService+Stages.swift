package import NimbusCore
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
        let created = try await registry.change(input.apiId) { [stage] state in
            guard state.stages.count < 10 else { throw AWSError.badRequest("An HTTP API has at most 10 stages") }
            guard state.stages[stage.stageName] == nil else { throw AWSError.conflict("Stage \(stage.stageName) already exists") }
            if let deployment = stage.deploymentId, state.deployments[deployment] == nil { throw AWSError.notFound("Deployment", deployment) }
            state.stages[stage.stageName] = stage
            return (stage, [.item(.stage, id: stage.stageName, stage.wire)])
        }
        return try .converting(created)
    }

    package func getStage(_ input: APIGatewayShapes.GetStageRequest, context: RequestContext) async throws -> APIGatewayShapes.GetStageResponse {
        guard let stage = try await registry.state(input.apiId).stages[input.stageName] else { throw AWSError.notFound("Stage", input.stageName) }
        return try .converting(stage)
    }

    package func getStages(_ input: APIGatewayShapes.GetStagesRequest, context: RequestContext) async throws -> APIGatewayShapes.GetStagesResponse {
        let stages = Array(try await registry.state(input.apiId).stages.values)
        let page = try Paging.page(stages, id: \.stageName, maxResults: input.maxResults, nextToken: input.nextToken)
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
        let updated = try await registry.change(input.apiId) { [now = now()] state in
            guard var stage = state.stages[input.stageName] else { throw AWSError.notFound("Stage", input.stageName) }
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
            state.stages[input.stageName] = stage
            return (stage, [.item(.stage, id: input.stageName, stage.wire)])
        }
        return try .converting(updated)
    }

    package func deleteStage(_ input: APIGatewayShapes.DeleteStageRequest, context: RequestContext) async throws {
        try await registry.change(input.apiId) { state in
            guard state.stages.removeValue(forKey: input.stageName) != nil else { throw AWSError.notFound("Stage", input.stageName) }
            return ((), [.delete(.stage, id: input.stageName)])
        }
    }
}
