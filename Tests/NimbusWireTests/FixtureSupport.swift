import Foundation
import HTTPTypes
import NimbusWire
import Testing

/// Loads the botocore-captured fixtures in `Fixtures/` (written by `scripts/capture-fixtures`).
enum Fixtures {
    static func load(_ name: String) throws -> JSONValue {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try JSONParser.parse(Array(try Data(contentsOf: url)))
    }

    static func cases(_ name: String) throws -> [JSONValue] {
        guard case .array(let cases)? = try load(name)[key: "cases"] else { return [] }
        return cases
    }

    /// The HTTP request a fixture case describes.
    static func request(_ fixture: JSONValue) -> AWSRequest {
        var headers = HTTPFields()
        if case .array(let pairs)? = fixture[key: "headers"] {
            for pair in pairs {
                guard case .array(let parts) = pair, parts.count == 2, case .string(let name) = parts[0], case .string(let value) = parts[1],
                    let field = HTTPField.Name(name)
                else { continue }
                headers.append(HTTPField(name: field, value: value))
            }
        }
        let body = fixture[key: "bodyBase64"]?.string.flatMap { Base64.decode($0) } ?? []
        return AWSRequest(
            method: HTTPRequest.Method(fixture[key: "method"]?.string ?? "GET")!,
            target: fixture[key: "target"]?.string ?? "/",
            headers: headers,
            body: body
        )
    }
}

extension JSONValue {
    subscript(key key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value with numbers in one canonical spelling, so `2`, `2.0` and `2e0` compare equal.
    var canonical: JSONValue {
        switch self {
        case .number(let text): .number(Double(text).map { String($0) } ?? text)
        case .array(let elements): .array(elements.map(\.canonical))
        case .object(let members): .object(members.mapValues(\.canonical))
        default: self
        }
    }
}

extension WireValue {
    /// The fixture's JSON form: blobs as `{"$bytes": …}`, timestamps as `{"$timestamp": …}`.
    var fixtureJSON: JSONValue {
        switch self {
        case .boolean(let flag): .bool(flag)
        case .integer(let number): .number(String(Double(number)))
        case .double(let number): .number(String(number))
        case .string(let text): .string(text)
        case .blob(let bytes): .object(["$bytes": .string(Base64.encode(bytes))])
        case .timestamp(let seconds): .object(["$timestamp": .number(String(seconds))])
        case .list(let elements): .array(elements.map(\.fixtureJSON))
        case .object(let members): .object(members.mapValues(\.fixtureJSON))
        case .document(let json): json
        }
    }
}
