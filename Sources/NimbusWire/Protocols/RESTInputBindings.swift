import HTTPTypes

/// Where each member of a REST operation's input comes from in the request: a URI label, a
/// query parameter, a header or a family of headers. Worked out once per operation, when its
/// service's route table is built; `RESTInputReader` walks the result for every request
/// instead of looking up every member's shape and header name again.
package struct RESTInputBindings: Sendable {
    /// A class, so that walking the bindings for every request retains one reference per
    /// member instead of copying its shape and reference (GetObject binds some thirty).
    final class Binding: Sendable {
        enum Source: Sendable {
            case uri
            case query
            case header(HTTPField.Name)
            /// Every header whose name starts with the prefix (lower-case), e.g. `x-amz-meta-`.
            case headerPrefix(String)
        }

        let member: String
        /// The name on the wire: the URI label, query parameter or header.
        let wireName: String
        let source: Source
        let shape: Shape
        let reference: ShapeReference
        /// The member's name in validation messages.
        let path: String

        init(member: String, wireName: String, source: Source, shape: Shape, reference: ShapeReference, path: String) {
            self.member = member
            self.wireName = wireName
            self.source = source
            self.shape = shape
            self.reference = reference
            self.path = path
        }
    }

    let bindings: [Binding]
    /// The query parameters members claim; a map bound to the query string takes the others.
    let boundQueryNames: Set<String>

    /// - Throws: `WireError(.modelInconsistent)` when a member's shape is missing from `model`.
    init(shape: Shape, model: ServiceModel) throws(WireError) {
        var bindings: [Binding] = []
        var boundQueryNames = Set<String>()
        for (member, reference) in shape.members ?? [:] {
            let wireName = reference.locationName ?? member
            let source: Binding.Source
            switch reference.location {
            case "uri": source = .uri
            case "querystring":
                source = .query
                if let name = reference.locationName { boundQueryNames.insert(name) }
            case "header":
                // A name that is not a valid header name can never be sent.
                guard let field = HTTPField.Name(wireName) else { continue }
                source = .header(field)
            case "headers": source = .headerPrefix(wireName.lowercased())
            default: continue
            }
            bindings.append(
                Binding(
                    member: member,
                    wireName: wireName,
                    source: source,
                    shape: try model.shape(named: reference.shape),
                    reference: reference,
                    path: ShapeScalars.pathElement(member)
                )
            )
        }
        self.bindings = bindings
        self.boundQueryNames = boundQueryNames
    }
}
