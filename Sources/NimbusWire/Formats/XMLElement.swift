/// An XML element as AWS bodies use them: a name, attributes, child elements and text.
package struct XMLElement: Hashable, Sendable {
    /// The local name (any namespace prefix removed).
    package var name: String
    package var attributes: [String: String]
    package var children: [XMLElement]
    /// The concatenated character data directly inside the element.
    package var text: String

    package init(name: String, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The children named `name`, in document order.
    package func children(named name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The first child named `name`.
    package func child(named name: String) -> XMLElement? {
        children.first { $0.name == name }
    }
}
