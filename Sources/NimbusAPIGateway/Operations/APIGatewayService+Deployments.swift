import NimbusCore
package import NimbusWire

/// CreateDeployment (freezes the API's routes, integrations and authorizers for the stages
/// that point at it), GetDeployment(s), DeleteDeployment.
extension APIGatewayService {
    package func createDeployment(
        _ input: APIGatewayShapes.CreateDeploymentRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.CreateDeploymentResponse {
        var deployment = APIGatewayShapes.Deployment()
        deployment.deploymentId = ResourceID.deployment()
        deployment.autoDeployed = false
        deployment.createdDate = now()
        deployment.deploymentStatus = "DEPLOYED"
        deployment.description = input.description
        let created = try await registry.change(input.apiId) { [deployment] state in
            let id = deployment.deploymentId ?? ""
            var writes: [GatewayWrite] = []
            if let name = input.stageName {
                guard var stage = state.stages[name] else { throw AWSError.notFound("Stage", name) }
                guard stage.autoDeploy != true else {
                    throw AWSError.badRequest("Stage \(name) deploys automatically (AutoDeploy); it cannot be deployed by hand")
                }
                stage.deploymentId = id
                stage.lastUpdatedDate = deployment.createdDate
                state.stages[name] = stage
                writes.append(.item(.stage, id: name, stage.wire))
            }
            let snapshot = state.definition
            state.deployments[id] = deployment
            state.snapshots[id] = snapshot
            writes.insert(.item(.snapshot, id: id, snapshot.wire), at: 0)
            writes.insert(.item(.deployment, id: id, deployment.wire), at: 0)
            return (deployment, writes)
        }
        return try .converting(created)
    }

    package func getDeployment(
        _ input: APIGatewayShapes.GetDeploymentRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetDeploymentResponse {
        try .converting(try await registry.item(.deployment, input.deploymentId, in: input.apiId))
    }

    package func getDeployments(
        _ input: APIGatewayShapes.GetDeploymentsRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetDeploymentsResponse {
        let page = try await registry.page(.deployment, in: input.apiId, maxResults: input.maxResults, nextToken: input.nextToken)
        return APIGatewayShapes.GetDeploymentsResponse(items: page.items, nextToken: page.nextToken)
    }

    package func deleteDeployment(_ input: APIGatewayShapes.DeleteDeploymentRequest, context: RequestContext) async throws {
        try await registry.change(input.apiId) { state in
            guard state.deployments[input.deploymentId] != nil else { throw AWSError.notFound("Deployment", input.deploymentId) }
            if let stage = state.stages.values.first(where: { $0.deploymentId == input.deploymentId }) {
                throw AWSError.badRequest("Deployment \(input.deploymentId) is used by stage \(stage.stageName)")
            }
            state.deployments[input.deploymentId] = nil
            state.snapshots[input.deploymentId] = nil
            return ((), [.delete(.deployment, id: input.deploymentId), .delete(.snapshot, id: input.deploymentId)])
        }
    }
}
