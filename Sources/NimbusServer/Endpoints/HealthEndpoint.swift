import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NimbusCore
import NimbusWire

/// `GET /_nimbus/health`: version, uptime, store and enabled services, as JSON.
struct HealthEndpoint: EdgeEndpoint {
    static let path = "/_nimbus/health"

    let started: ContinuousClock.Instant
    let storeKind: String
    let storeLocation: String
    let services: [String]
    let account: AccountContext

    func claims(_ request: EdgeRequest) -> Bool {
        request.method == .get && request.head.path == Self.path
    }

    func respond(to request: EdgeRequest) async throws -> Response? {
        let uptime = ContinuousClock.now - started
        let seconds = Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18
        let body: JSONValue = .object([
            "status": .string("ok"),
            "version": .string(NimbusVersion.current),
            "uptimeSeconds": .number(String(format: "%.3f", seconds)),
            "store": .object(["kind": .string(storeKind), "location": .string(storeLocation)]),
            "services": .array(services.map { .string($0) }),
            "accountId": .string(account.accountID),
            "region": .string(account.region),
        ])
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.encode(body))))
    }
}
