import NimbusCore

/// The shape every API item's operations share (Create, Get, Get*s, Update, Delete), over
/// one `APIItemKind`: AWS's `NotFoundException` for an unknown id, `MaxResults`/`NextToken`
/// paging in id order, and each change applied, published and stored in one step.
extension APIRegistry {
    /// The item `id` of `kind` in API `apiId`.
    /// - Throws: `NotFoundException` for an unknown API or item.
    func item<Item>(_ kind: APIItemKind<Item>, _ id: String, in apiId: String) throws(AWSError) -> Item {
        guard let item = try state(apiId)[keyPath: kind.items][id] else { throw .notFound(kind.name, id) }
        return item
    }

    /// One page of the API's items of `kind`, in id order (see `Paging`).
    func page<Item>(
        _ kind: APIItemKind<Item>,
        in apiId: String,
        maxResults: String?,
        nextToken: String?
    ) throws(AWSError) -> (items: [Item], nextToken: String?) {
        let items = Array(try state(apiId)[keyPath: kind.items].values)
        return try Paging.page(items, id: kind.id, maxResults: maxResults, nextToken: nextToken)
    }

    /// Adds `item` to API `apiId`, after `check` accepted it against the API as it was.
    func insert<Item>(
        _ item: Item,
        as kind: APIItemKind<Item>,
        in apiId: String,
        check: @Sendable (APIState) throws -> Void = { _ in }
    ) async throws -> Item {
        try await change(apiId) { state in
            try check(state)
            let id = kind.id(item)
            state[keyPath: kind.items][id] = item
            return (item, [.item(kind.stored, id: id, kind.wire(item))])
        }
    }

    /// Changes the item `id` of `kind` with `apply`, which also sees the API as it was (and
    /// may throw to refuse the change); returns the item as changed.
    /// - Throws: `NotFoundException` for an unknown API or item, and what `apply` throws.
    func update<Item>(
        _ kind: APIItemKind<Item>,
        _ id: String,
        in apiId: String,
        _ apply: @Sendable (inout Item, APIState) throws -> Void
    ) async throws -> Item {
        try await change(apiId) { state in
            guard var item = state[keyPath: kind.items][id] else { throw AWSError.notFound(kind.name, id) }
            try apply(&item, state)
            state[keyPath: kind.items][id] = item
            return (item, [.item(kind.stored, id: id, kind.wire(item))])
        }
    }

    /// Deletes the item `id` of `kind`, unless `check` refuses (an item still in use).
    /// - Throws: `NotFoundException` for an unknown API or item, and what `check` throws.
    func delete<Item>(
        _ kind: APIItemKind<Item>,
        _ id: String,
        in apiId: String,
        check: @Sendable (APIState) throws -> Void = { _ in }
    ) async throws {
        try await change(apiId) { state in
            guard state[keyPath: kind.items][id] != nil else { throw AWSError.notFound(kind.name, id) }
            try check(state)
            state[keyPath: kind.items][id] = nil
            return ((), [.delete(kind.stored, id: id)])
        }
    }
}
