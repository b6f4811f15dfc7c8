import Foundation
import Synchronization

/// The botocore models Nimbus ships, loaded on first use and kept for the process's life.
///
/// Loading is lazy because the edge only needs a service's full model once a request
/// for it arrives; recognising the service needs only `ServiceDescriptor.known`.
package final class ModelCatalog: Sendable {
    /// The catalog of every model shipped in this module's resources.
    package static let shared = ModelCatalog()

    package let descriptors: [String: ServiceDescriptor]
    private let models = Mutex<[String: ServiceModel]>([:])
    private let routeTables = Mutex<[String: RouteTable]>([:])

    package init(descriptors: [ServiceDescriptor] = ServiceDescriptor.known) {
        self.descriptors = Dictionary(uniqueKeysWithValues: descriptors.map { ($0.name, $0) })
    }

    /// The model of the service named `name` (botocore's name).
    /// - Throws: `WireError(.modelInconsistent)` if the resource is missing or unreadable.
    package func model(_ name: String) throws(WireError) -> ServiceModel {
        if let cached = models.withLock({ $0[name] }) { return cached }
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Models") else {
            throw WireError(.modelInconsistent, "no model resource for \(name)")
        }
        let model: ServiceModel
        do {
            model = try JSONDecoder().decode(ServiceModel.self, from: Data(contentsOf: url))
        } catch {
            throw WireError(.modelInconsistent, "model \(name) does not load: \(error)")
        }
        models.withLock { $0[name] = model }
        return model
    }

    /// The compiled method-and-path routes of a REST service.
    package func routeTable(_ name: String) throws(WireError) -> RouteTable {
        if let cached = routeTables.withLock({ $0[name] }) { return cached }
        let table = RouteTable(model: try model(name))
        routeTables.withLock { $0[name] = table }
        return table
    }
}
