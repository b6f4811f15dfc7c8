/// The routes of one REST service, most specific first within each method.
package struct RouteTable: Sendable {
    /// A class, so that walking the table for every request retains one reference per route
    /// instead of copying five fields.
    package final class Route: Sendable {
        package let operation: String
        /// Botocore marks the operation deprecated; a current one on the same route wins.
        package let deprecated: Bool
        package let template: URITemplate
        /// Headers the input requires (lower-cased); they tell apart operations sharing a URI,
        /// e.g. S3 `CopyObject` (`x-amz-copy-source`) from `PutObject`.
        package let requiredHeaders: [String]
        /// Query parameters the input requires; they tell apart S3 `UploadPart`
        /// (`partNumber`, `uploadId`) from `PutObject`.
        package let requiredQuery: [String]
        /// Where the input's members come from in the request; `nil` when the model is inconsistent
        /// (decoding the input then reports it).
        package let input: RESTInputBindings?

        init(
            operation: String,
            deprecated: Bool,
            template: URITemplate,
            requiredHeaders: [String],
            requiredQuery: [String],
            input: RESTInputBindings?
        ) {
            self.operation = operation
            self.deprecated = deprecated
            self.template = template
            self.requiredHeaders = requiredHeaders
            self.requiredQuery = requiredQuery
            self.input = input
        }
    }

    /// One method's routes, most specific first, indexed by a query parameter each needs.
    private struct MethodRoutes: Sendable {
        let ordered: [Route]
        /// Positions in `ordered` of the routes that need no query parameter.
        let unkeyed: [Int]
        /// Positions of the routes that need the parameter (a fixed `?acl` or a required `uploadId`),
        /// each route under one of its parameters: all of them must be present.
        let byParameter: [String: [Int]]

        init(_ ordered: [Route]) {
            self.ordered = ordered
            var unkeyed: [Int] = []
            var byParameter: [String: [Int]] = [:]
            for (position, route) in ordered.enumerated() {
                if let parameter = route.template.queryLiterals.first?.name ?? route.requiredQuery.first {
                    byParameter[parameter, default: []].append(position)
                } else {
                    unkeyed.append(position)
                }
            }
            self.unkeyed = unkeyed
            self.byParameter = byParameter
        }

        /// The routes a request with these query parameters may match, in order: S3's GET has
        /// some forty routes, and a plain GetObject needs to look at the few without a parameter.
        func candidates(for query: [String: String]) -> [Route] {
            var positions = unkeyed
            for name in query.keys { positions += byParameter[name] ?? [] }
            if positions.count != unkeyed.count { positions.sort() }
            return positions.map { ordered[$0] }
        }
    }

    private let routesByMethod: [String: MethodRoutes]
    /// The literal first path segments of the routes that start with one.
    private let firstLiterals: Set<String>
    /// Whether some route starts with a label or has no path segment: it may match any first segment.
    private let firstSegmentOpen: Bool

    package init(model: ServiceModel) {
        var routes: [String: [Route]] = [:]
        for (name, operation) in model.operations {
            let input = operation.input.flatMap { model.shapes[$0.shape] }
            let required = Set(input?.required ?? [])
            let headers = (input?.members ?? [:]).filter { required.contains($0.key) && $0.value.location == "header" }
                .map { ($0.value.locationName ?? $0.key).lowercased() }
            let query = (input?.members ?? [:]).filter { required.contains($0.key) && $0.value.location == "querystring" }
                .map { $0.value.locationName ?? $0.key }
            let route = Route(
                operation: name,
                deprecated: operation.deprecated ?? false,
                template: URITemplate(operation.http.requestUri),
                requiredHeaders: headers.sorted(),
                requiredQuery: query.sorted(),
                input: input.flatMap { try? RESTInputBindings(shape: $0, model: model) }
            )
            routes[operation.http.method, default: []].append(route)
        }
        let firstSegments = routes.values.joined().map(\.template.segments.first)
        firstLiterals = Set(firstSegments.compactMap { if case .literal(let text) = $0 { text } else { nil } })
        firstSegmentOpen = firstSegments.contains { if case .literal = $0 { false } else { true } }
        // Most specific first; among equally specific routes the current operation before a
        // deprecated one sharing its route, then by name.
        routesByMethod = routes.mapValues { list in
            MethodRoutes(
                list.sorted {
                    ($0.template.specificity, $0.requiredHeaders.count + $0.requiredQuery.count, $0.deprecated ? 0 : 1, $1.operation)
                        > ($1.template.specificity, $1.requiredHeaders.count + $1.requiredQuery.count, $1.deprecated ? 0 : 1, $0.operation)
                }
            )
        }
    }

    /// Whether a route of this service may match a path whose segments are `parts`, from its first
    /// segment alone: a request that no REST service's signature names is tried against every REST
    /// service in turn, and most of them can be ruled out without walking their routes.
    package func mayMatch(parts: ArraySlice<Substring>) -> Bool {
        guard !firstSegmentOpen, let first = parts.first else { return true }
        // A percent-encoded segment may decode to a literal: the full match decides.
        return firstLiterals.contains(String(first)) || first.utf8.contains(UInt8(ascii: "%"))
    }

    /// The route bound to `method` and a path split by `URITemplate.parts(of:)`, and its URI labels.
    package func match(
        method: String,
        parts: ArraySlice<Substring>,
        query: [String: String],
        hasHeader: (String) -> Bool = { _ in false }
    )
        -> (route: Route, labels: [String: String])?
    {
        // Cheapest test first: the query's keys, then the path, then the headers.
        for route in routesByMethod[method]?.candidates(for: query) ?? [] where route.requiredQuery.allSatisfy({ query[$0] != nil }) {
            if let labels = route.template.match(parts: parts, query: query), route.requiredHeaders.allSatisfy(hasHeader) {
                return (route, labels)
            }
        }
        return nil
    }
}
