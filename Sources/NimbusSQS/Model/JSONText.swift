import NimbusWire

/// Small JSON helpers over NimbusWire's parser and writer.
enum JSONText {
    /// Whether `text` is a JSON object.
    static func isObject(_ text: String) -> Bool {
        guard let value = try? JSONParser.parse(Array(text.utf8)), case .object = value else { return false }
        return true
    }

    /// `text` parsed as an object of strings, or `nil`.
    static func stringMap(_ text: String) -> [String: String]? {
        guard let value = try? JSONParser.parse(Array(text.utf8)), case .object(let members) = value else { return nil }
        var result: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let string) = member else { return nil }
            result[key] = string
        }
        return result
    }

    /// A map of strings as a JSON object.
    static func encode(_ map: [String: String]) -> String {
        String(decoding: JSONWriter.encode(.object(map.mapValues { .string($0) })), as: UTF8.self)
    }
}
