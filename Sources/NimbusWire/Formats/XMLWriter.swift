/// Writes XML elements as text, escaping character data and attribute values.
package struct XMLWriter {
    package private(set) var text = ""

    package init(declaration: Bool = true) {
        if declaration { text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" }
    }

    package mutating func write(_ element: XMLElement) {
        text += "<" + element.name
        for key in element.attributes.keys.sorted() {
            text += " \(key)=\"\(Self.escape(element.attributes[key]!))\""
        }
        if element.children.isEmpty && element.text.isEmpty {
            text += "/>"
            return
        }
        text += ">"
        text += Self.escape(element.text)
        for child in element.children { write(child) }
        text += "</\(element.name)>"
    }

    /// `text` with `&`, `<`, `>`, quotes and carriage returns escaped.
    package static func escape(_ text: String) -> String {
        guard text.contains(where: { "&<>\"'\r".contains($0) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\r": result += "&#13;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The UTF-8 bytes of `element` as a document with an XML declaration.
    package static func document(_ element: XMLElement) -> [UInt8] {
        var writer = XMLWriter()
        writer.write(element)
        return Array(writer.text.utf8)
    }
}
