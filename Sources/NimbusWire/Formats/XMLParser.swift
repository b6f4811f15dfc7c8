/// A small, strict XML parser for AWS request bodies.
///
/// Supports elements, attributes, character data, CDATA, comments, processing
/// instructions and the predefined and numeric entities. Document type declarations
/// are refused outright, so no external entity can ever be resolved.
package struct XMLDocumentParser {
    /// The deepest nesting accepted.
    package static let maximumDepth = 128

    private let bytes: [UInt8]
    private var index = 0

    /// Parses `bytes` and returns the root element.
    /// - Throws: `WireError(.malformedBody)` naming the first problem and its byte offset.
    package static func parse(_ bytes: some Collection<UInt8>) throws(WireError) -> XMLElement {
        var parser = XMLDocumentParser(bytes: Array(bytes))
        try parser.skipProlog()
        guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "<") else {
            throw parser.failure("expected a root element")
        }
        let root = try parser.parseElement(depth: 0)
        try parser.skipMisc()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected content after the root element") }
        return root
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func failure(_ message: String) -> WireError {
        WireError(.malformedBody, "Malformed XML at byte \(index): \(message)")
    }

    private func starts(with literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        guard index + utf8.count <= bytes.count else { return false }
        return bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func skip(past terminator: String) throws(WireError) {
        let utf8 = Array(terminator.utf8)
        while index + utf8.count <= bytes.count {
            if bytes[index..<(index + utf8.count)].elementsEqual(utf8) {
                index += utf8.count
                return
            }
            index += 1
        }
        throw failure("missing '\(terminator)'")
    }

    private mutating func skipProlog() throws(WireError) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        try skipMisc()
    }

    private mutating func skipMisc() throws(WireError) {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<!") {
                throw failure("document type declarations are not accepted")
            } else {
                return
            }
        }
    }

    private mutating func parseName() throws(WireError) -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if [0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<")].contains(byte) {
                break
            }
            index += 1
        }
        guard index > start, let name = String(validating: bytes[start..<index], as: UTF8.self) else {
            throw failure("expected a name")
        }
        return name
    }

    private func localName(_ name: String) -> String {
        guard let colon = name.firstIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    private mutating func parseElement(depth: Int) throws(WireError) -> XMLElement {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
        index += 1  // '<'
        let qualifiedName = try parseName()
        var element = XMLElement(name: localName(qualifiedName))
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated start tag") }
            if bytes[index] == UInt8(ascii: "/") {
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw failure("expected '/>'") }
                index += 2
                return element
            }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                break
            }
            let attribute = try parseName()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw failure("expected '=' after attribute") }
            index += 1
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw failure("expected a quoted attribute value")
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote { index += 1 }
            guard index < bytes.count else { throw failure("unterminated attribute value") }
            element.attributes[localName(attribute)] = try decodeText(bytes[start..<index])
            index += 1
        }
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw failure("missing end tag for <\(qualifiedName)>") }
            if bytes[index] != UInt8(ascii: "<") {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                text.append(contentsOf: Array(try decodeText(bytes[start..<index]).utf8))
            } else if starts(with: "</") {
                index += 2
                let closing = try parseName()
                guard closing == qualifiedName else { throw failure("</\(closing)> does not close <\(qualifiedName)>") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw failure("expected '>'") }
                index += 1
                element.text = String(decoding: text, as: UTF8.self)
                return element
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                guard String(validating: bytes[start..<(index - 3)], as: UTF8.self) != nil else { throw failure("invalid UTF-8") }
                text.append(contentsOf: bytes[start..<(index - 3)])
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!") {
                throw failure("declarations are not accepted inside elements")
            } else {
                element.children.append(try parseElement(depth: depth + 1))
            }
        }
    }

    private func decodeText(_ raw: ArraySlice<UInt8>) throws(WireError) -> String {
        guard let text = String(validating: raw, as: UTF8.self) else { throw failure("invalid UTF-8") }
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { throw failure("unterminated entity") }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "lt": result += "<"
            case "gt": result += ">"
            case "amp": result += "&"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                guard entity.hasPrefix("#") else { throw failure("unknown entity &\(entity);") }
                let digits = entity.dropFirst()
                let code = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let code, let scalar = Unicode.Scalar(code) else { throw failure("invalid character reference") }
                result.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        result += rest
        return result
    }
}
