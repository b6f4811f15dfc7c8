import NimbusWire

/// One kind of item an API holds (routes, integrations, authorizers, stages, deployments),
/// described once so that their Create/Get/Get*s/Update/Delete operations share one shape
/// (`APIRegistry+Items`): where the items sit in `APIState`, how one is keyed and stored, and
/// the name AWS gives the kind in its `NotFoundException`.
struct APIItemKind<Item: Sendable>: Sendable {
    /// AWS's name of the kind in errors: `Invalid Authorizer identifier specified …`.
    let name: String
    /// The kind's rows in the store.
    let stored: GatewayStore.Kind
    /// The API's items of this kind, by id.
    let items: any WritableKeyPath<APIState, [String: Item]> & Sendable
    /// An item's id (its key in `items`).
    let id: @Sendable (Item) -> String
    /// An item as stored.
    let wire: @Sendable (Item) -> WireValue
}

extension APIItemKind where Item == APIGatewayShapes.Route {
    static var route: Self { Self(name: "Route", stored: .route, items: \.routes, id: { $0.routeId ?? "" }, wire: \.wire) }
}

extension APIItemKind where Item == APIGatewayShapes.Integration {
    static var integration: Self {
        Self(name: "Integration", stored: .integration, items: \.integrations, id: { $0.integrationId ?? "" }, wire: \.wire)
    }
}

extension APIItemKind where Item == APIGatewayShapes.Authorizer {
    static var authorizer: Self {
        Self(name: "Authorizer", stored: .authorizer, items: \.authorizers, id: { $0.authorizerId ?? "" }, wire: \.wire)
    }
}

extension APIItemKind where Item == APIGatewayShapes.Stage {
    static var stage: Self { Self(name: "Stage", stored: .stage, items: \.stages, id: \.stageName, wire: \.wire) }
}

extension APIItemKind where Item == APIGatewayShapes.Deployment {
    static var deployment: Self {
        Self(name: "Deployment", stored: .deployment, items: \.deployments, id: { $0.deploymentId ?? "" }, wire: \.wire)
    }
}
