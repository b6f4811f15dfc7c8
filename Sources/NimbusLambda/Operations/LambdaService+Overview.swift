import NimbusCore
import NimbusWire

/// What `nimbus functions` shows: every function with its versions, aliases, instances,
/// concurrency and counters.
package struct FunctionOverview: Sendable {
    package var name: String
    package var runtime: String
    package var versions: [String]
    /// Alias name → the version it routes to (and its additional version, if weighted).
    package var aliases: [String: String]
    package var liveInstances: Int
    package var idleInstances: Int
    package var reservedConcurrency: Int?
    package var runningInvocations: Int
    /// Qualifier → requested provisioned concurrency.
    package var provisionedConcurrency: [String: Int]
    package var counters: FunctionMetrics.Counters
}

extension LambdaService {
    /// Every function, in name order.
    package func overview() async throws -> [FunctionOverview] {
        var overviews: [FunctionOverview] = []
        for record in try await functions.list(after: nil, limit: 100_000) {
            let name = record.configuration.functionName ?? ""
            let versions = try await functions.versions(of: name, after: 0, limit: 100_000).compactMap(\.configuration.version)
            var aliases: [String: String] = [:]
            for alias in try await functions.aliases(of: name, after: "", limit: 100_000) {
                let extra = alias.routingConfig?.additionalVersionWeights?.map { " + \($0.key) (\(Int(($0.value * 100).rounded()))%)" }.joined() ?? ""
                aliases[alias.name ?? ""] = (alias.functionVersion ?? "") + extra
            }
            let instances = await invoker.pool.counts(of: name)
            let provisioned = try await functions.provisioned(of: name)
            overviews.append(
                FunctionOverview(
                    name: name,
                    runtime: record.configuration.runtime ?? "",
                    versions: ["$LATEST"] + versions,
                    aliases: aliases,
                    liveInstances: instances.live,
                    idleInstances: instances.idle,
                    reservedConcurrency: invoker.limiter.reserved(for: name),
                    runningInvocations: invoker.limiter.running(name),
                    provisionedConcurrency: Dictionary(provisioned.map { ($0.qualifier, $0.requested) }, uniquingKeysWith: { $1 }),
                    counters: invoker.metrics.snapshot(name)
                )
            )
        }
        return overviews
    }
}
