import NimbusCore

/// `MaxResults`/`NextToken` paging of the Get* list operations: items in id order, the token
/// being the last id of the page.
enum Paging {
    static func page<T>(_ items: [T], id: (T) -> String, maxResults: String?, nextToken: String?) throws(AWSError) -> (items: [T], nextToken: String?)
    {
        var limit = Int.max
        if let maxResults {
            guard let value = Int(maxResults), value >= 1 else { throw AWSError.badRequest("Invalid MaxResults \(maxResults)") }
            limit = value
        }
        let sorted = items.sorted { id($0) < id($1) }
        let rest = nextToken.map { token in sorted.filter { id($0) > token } } ?? sorted
        guard rest.count > limit else { return (rest, nil) }
        let page = Array(rest.prefix(limit))
        return (page, page.last.map(id))
    }
}
