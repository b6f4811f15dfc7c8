/// Writes XML elements as UTF-8, escaping character data and attribute values.
package struct XMLWriter {
    package private(set) var bytes: [UInt8] = []

    package init(declaration: Bool = true) {
        bytes.reserveCapacity(512)
        if declaration { bytes.append(contentsOf: #"<?xml version="1.0" encoding="UTF-8"?>"#.utf8) }
    }

    package mutating func write(_ element: XMLElement) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: element.name.utf8)
        for key in element.attributes.keys.sorted() {
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: key.utf8)
            bytes.append(contentsOf: #"=""#.utf8)
            appendEscaped(element.attributes[key]!)
            bytes.append(UInt8(ascii: "\""))
        }
        if element.children.isEmpty && element.text.isEmpty {
            bytes.append(contentsOf: "/>".utf8)
            return
        }
        bytes.append(UInt8(ascii: ">"))
        appendEscaped(element.text)
        for child in element.children { write(child) }
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: element.name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Opens `<name attributes…>`.
    package mutating func open(_ name: String, attributes: [(name: String, value: String)] = []) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        for attribute in attributes {
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: attribute.name.utf8)
            bytes.append(contentsOf: #"=""#.utf8)
            appendEscaped(attribute.value)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    /// Closes `</name>`.
    package mutating func close(_ name: String) {
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Writes escaped character data.
    package mutating func text(_ text: String) {
        appendEscaped(text)
    }

    /// `<name>text</name>`.
    package mutating func element(_ name: String, text: String) {
        open(name)
        appendEscaped(text)
        close(name)
    }

    /// Appends `text` with `&`, `<`, `>`, quotes and carriage returns escaped, byte by byte
    /// (all of them are ASCII, so UTF-8 sequences pass through untouched).
    private mutating func appendEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&apos;".utf8)
            case 13: bytes.append(contentsOf: "&#13;".utf8)
            default: bytes.append(byte)
            }
        }
    }

    /// The UTF-8 bytes of `element` as a document with an XML declaration.
    package static func document(_ element: XMLElement) -> [UInt8] {
        var writer = XMLWriter()
        writer.write(element)
        return writer.bytes
    }
}
