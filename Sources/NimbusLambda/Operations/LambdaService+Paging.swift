import NimbusCore
import NimbusWire

/// How Lambda's List operations page: `MaxItems` within the model's range, and opaque markers
/// that carry the key (a name, an ARN, a qualifier) of the last item listed.
extension LambdaService {
    /// `MaxItems` checked against the model's range (1–10,000), 50 when absent.
    static func pageSize(_ maxItems: Int?) throws(AWSError) -> Int {
        let limit = maxItems ?? 50
        guard (1...10_000).contains(limit) else {
            throw .validation(
                "1 validation error detected: Value '\(limit)' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000"
            )
        }
        return limit
    }

    /// The marker that resumes a listing after the item with key `name`.
    static func marker(_ name: String) -> String { Base64.encode(Array(name.utf8)) }

    /// The key a marker carries, if it is one of ours.
    static func markerName(_ marker: String) -> String? { Base64.decode(marker).flatMap { String(validating: $0, as: UTF8.self) } }

    /// One page of `all` (in listing order): up to `limit` items after the one whose key the
    /// marker carries, and the marker of the next page when there is one.
    static func page<Item>(_ all: [Item], marker: String?, limit: Int, key: (Item) -> String?) -> (items: [Item], nextMarker: String?) {
        let after = marker.flatMap(markerName)
        let start = after.flatMap { name in all.firstIndex { key($0) == name }.map { $0 + 1 } } ?? 0
        let items = Array(all.dropFirst(start).prefix(limit))
        let more = start + items.count < all.count
        return (items, more ? items.last.flatMap(key).map(Self.marker) : nil)
    }
}
