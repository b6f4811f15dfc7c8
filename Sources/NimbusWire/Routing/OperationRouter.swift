import HTTPTypes
package import NimbusCore

/// An operation recognised in a request: the service, its model, the protocol spoken
/// and, for REST protocols, the values of the URI labels.
package struct RoutedOperation: Sendable {
    package let service: ServiceDescriptor
    package let model: ServiceModel
    package let operation: OperationModel
    package let `protocol`: WireProtocol
    package let uriLabels: [String: String]
    /// For the query protocol: the parameters (form body, then URL query) already parsed while routing.
    package var queryParameters: [(name: String, value: String)]? = nil
    /// For REST protocols: where the input's members come from, from the route table.
    package var inputBindings: RESTInputBindings? = nil
}

/// A request that names no operation Nimbus knows, with the protocol its error should use.
package struct RoutingError: Error, Sendable {
    package let error: AWSError
    package let `protocol`: WireProtocol
}

/// Finds the service, protocol and operation of a request, in the order DESIGN.md gives:
/// `X-Amz-Target`, the RPC v2 CBOR path, the SigV4 credential scope, the form `Action=`,
/// and finally the REST method and path.
package struct OperationRouter: Sendable {
    private let catalog: ModelCatalog
    private let byTargetPrefix: [String: ServiceDescriptor]
    private let byRPCName: [String: ServiceDescriptor]
    private let bySigningName: [String: [ServiceDescriptor]]
    private let queryByVersion: [String: ServiceDescriptor]
    /// REST services tried for unsigned requests; S3 last because `/{Bucket}` matches almost anything.
    private let restServices: [ServiceDescriptor]

    package init(catalog: ModelCatalog = .shared) {
        self.catalog = catalog
        let all = catalog.descriptors.values.sorted { $0.name < $1.name }
        byTargetPrefix = Dictionary(all.compactMap { d in d.targetPrefix.map { ($0, d) } }, uniquingKeysWith: { first, _ in first })
        byRPCName = Dictionary(all.compactMap { d in d.rpcServiceName.map { ($0, d) } }, uniquingKeysWith: { first, _ in first })
        bySigningName = Dictionary(grouping: all, by: \.signingName)
        queryByVersion = Dictionary(
            all.filter { $0.protocols.contains(.query) }.map { ($0.apiVersion, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        restServices = all.filter { $0.protocols.contains(where: \.isREST) }.sorted {
            ($0.name == "s3" ? 1 : 0, $0.name) < ($1.name == "s3" ? 1 : 0, $1.name)
        }
    }

    /// Recognises the operation `request` calls, reading the signing service from its signature.
    package func route(_ request: AWSRequest) throws(RoutingError) -> RoutedOperation {
        try route(request, signingService: SigV4Scope.service(of: request))
    }

    /// Recognises the operation `request` calls.
    /// - Parameter signingName: the service of the request's SigV4 credential scope, if signed.
    /// - Throws: `RoutingError` with AWS's error when the request names no known operation.
    package func route(_ request: AWSRequest, signingService signingName: String?) throws(RoutingError) -> RoutedOperation {
        if let target = request.header(.xAmzTarget) {
            return try routeJSON(target: target, request: request)
        }
        if request.header(.smithyProtocol) == "rpc-v2-cbor" {
            return try routeCBOR(request)
        }
        let parameters = queryParameters(of: request)
        if let action = parameters.items.first(where: { $0.name == "Action" })?.value {
            let version = parameters.items.first { $0.name == "Version" }?.value
            var routed = try routeQuery(action: action, version: version, signingName: signingName)
            if parameters.valid { routed.queryParameters = parameters.items }
            return routed
        }
        let candidates = restCandidates(for: request, signingName: signingName)
        let parts = URITemplate.parts(of: request.path)
        for service in candidates {
            if let routed = try routeREST(service, request: request, parts: parts) { return routed }
        }
        throw RoutingError(
            error: AWSError(
                code: "UnknownOperationException",
                status: 404,
                message: "No AWS operation matches \(request.method.rawValue) \(request.path)"
            ),
            protocol: candidates.first?.protocols.first { $0.isREST } ?? .restJson1
        )
    }

    /// The REST services that may serve `request`: the one its signature names, S3 when the host
    /// names a bucket (`bucket.s3.localhost`), or else every REST service, S3 last.
    private func restCandidates(for request: AWSRequest, signingName: String?) -> [ServiceDescriptor] {
        if let signed = signingName.flatMap({ bySigningName[$0] }) { return signed.filter { $0.protocols.contains(where: \.isREST) } }
        if let s3 = restServices.last, s3.name == "s3", request.hostBucket != nil { return [s3] }
        return restServices
    }

    private func resolve(
        _ service: ServiceDescriptor,
        _ operation: String,
        _ wire: WireProtocol,
        labels: [String: String] = [:]
    )
        throws(RoutingError) -> RoutedOperation?
    {
        let model: ServiceModel
        do {
            model = try catalog.model(service.name)
        } catch {
            throw RoutingError(error: .internalFailure("The model of \(service.name) is unavailable"), protocol: wire)
        }
        guard let spec = model.operations[operation] else { return nil }
        return RoutedOperation(service: service, model: model, operation: spec, protocol: wire, uriLabels: labels)
    }

    private func routeJSON(target: String, request: AWSRequest) throws(RoutingError) -> RoutedOperation {
        let guess: WireProtocol = request.mediaType == "application/x-amz-json-1.1" ? .awsJson1_1 : .awsJson1_0
        guard let dot = target.lastIndex(of: ".") else {
            throw RoutingError(error: unknownTarget(target), protocol: guess)
        }
        let prefix = String(target[..<dot])
        let operation = String(target[target.index(after: dot)...])
        guard let service = byTargetPrefix[prefix], let wire = service.protocols.first(where: { $0 == .awsJson1_0 || $0 == .awsJson1_1 }) else {
            throw RoutingError(error: unknownTarget(target), protocol: guess)
        }
        guard let routed = try resolve(service, operation, wire) else {
            throw RoutingError(error: unknownTarget(target), protocol: wire)
        }
        return routed
    }

    private func unknownTarget(_ target: String) -> AWSError {
        AWSError(code: "UnknownOperationException", message: "Unknown operation \(target)")
    }

    private func routeCBOR(_ request: AWSRequest) throws(RoutingError) -> RoutedOperation {
        let parts = request.path.split(separator: "/")
        guard parts.count == 4, parts[0] == "service", parts[2] == "operation", let service = byRPCName[String(parts[1])],
            let routed = try resolve(service, String(parts[3]), .rpcV2CBOR)
        else {
            throw RoutingError(
                error: AWSError(code: "UnknownOperationException", status: 404, message: "Unknown RPC v2 path \(request.path)"),
                protocol: .rpcV2CBOR
            )
        }
        return routed
    }

    /// The query-protocol parameters of a request: its URL query then its form body (if any);
    /// `valid` is false when the form body is not UTF-8 (the decoder then reports it).
    private func queryParameters(of request: AWSRequest) -> (items: [(name: String, value: String)], valid: Bool) {
        var items = request.rawQuery.isEmpty ? [] : request.queryItems
        guard request.mediaType == "application/x-www-form-urlencoded" else { return (items, true) }
        guard let form = String(validating: request.body, as: UTF8.self) else {
            return (items + FormEncoding.decode(String(decoding: request.body, as: UTF8.self)), false)
        }
        items += FormEncoding.decode(form)
        return (items, true)
    }

    private func routeQuery(action: String, version: String?, signingName: String?) throws(RoutingError) -> RoutedOperation {
        let bySignature = signingName.flatMap { bySigningName[$0] }?.first { $0.protocols.contains(.query) }
        guard let service = bySignature ?? version.flatMap({ queryByVersion[$0] }) else {
            let message =
                version == nil
                ? "The request must contain the parameter Version" : "No service with query API version \(version ?? "")"
            throw RoutingError(error: AWSError(code: version == nil ? "MissingParameter" : "InvalidAction", message: message), protocol: .query)
        }
        guard let routed = try resolve(service, action, .query) else {
            throw RoutingError(
                error: AWSError(code: "InvalidAction", message: "Could not find operation \(action) for version \(service.apiVersion)"),
                protocol: .query
            )
        }
        return routed
    }

    /// - Parameter parts: the request path's segments (`URITemplate.parts(of:)`), split once for every candidate.
    private func routeREST(_ service: ServiceDescriptor, request: AWSRequest, parts: ArraySlice<Substring>) throws(RoutingError) -> RoutedOperation? {
        guard let wire = service.protocols.first(where: \.isREST) else { return nil }
        let table: RouteTable
        do {
            table = try catalog.routeTable(service.name)
        } catch {
            throw RoutingError(error: .internalFailure("The model of \(service.name) is unavailable"), protocol: wire)
        }
        // S3 reads a virtual-hosted bucket from the host into its path.
        let parts = service.name == "s3" ? URITemplate.parts(of: S3Addressing.pathStyle(request)) : parts
        guard table.mayMatch(parts: parts) else { return nil }
        var query: [String: String] = [:]
        for item in request.queryItems where query[item.name] == nil { query[item.name] = item.value }
        guard let match = table.match(method: request.method.rawValue, parts: parts, query: query, hasHeader: { request.header($0) != nil })
        else { return nil }
        var routed = try resolve(service, match.route.operation, wire, labels: match.labels)
        routed?.inputBindings = match.route.input
        return routed
    }
}

extension OperationRouter {
    /// A cheap guess of a request's protocol, for errors raised before routing (body too large).
    package static func protocolHint(for request: AWSRequest) -> WireProtocol {
        if request.header(.xAmzTarget) != nil {
            return request.mediaType == "application/x-amz-json-1.1" ? .awsJson1_1 : .awsJson1_0
        }
        if request.header(.smithyProtocol) == "rpc-v2-cbor" { return .rpcV2CBOR }
        if request.mediaType == "application/x-www-form-urlencoded" || request.queryContains("Action=") { return .query }
        return SigV4Scope.service(of: request) == "s3" ? .restXml : .restJson1
    }
}
