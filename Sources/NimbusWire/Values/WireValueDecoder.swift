package import Foundation

/// Decodes generated `Codable` shapes from a `WireValue` that a protocol parser produced.
///
/// The parser has already checked types against the model, so this decoder is strict:
/// a mismatch is a bug and surfaces as `DecodingError`.
package struct WireValueDecoder {
    package init() {}

    package func decode<T: Decodable>(_ type: T.Type, from value: WireValue) throws -> T {
        try WireDecoding(value: value, codingPath: []).decode(type)
    }
}

private struct WireDecoding: Decoder, SingleValueDecodingContainer {
    let value: WireValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch("an object") }
        return KeyedDecodingContainer(KeyedWireContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let elements) = value else { throw mismatch("a list") }
        return UnkeyedWireContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    private func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(WireValue.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value)"))
    }

    func decodeNil() -> Bool { false }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .boolean(let flag) = value else { throw mismatch("a boolean") }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch("a string") }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .double(let number): return number
        case .integer(let number): return Double(number)
        case .timestamp(let seconds): return seconds
        default: throw mismatch("a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode<T: BinaryInteger & FixedWidthInteger>(integer type: T.Type) throws -> T {
        guard case .integer(let number) = value, let exact = T(exactly: number) else { throw mismatch("an integer fitting \(T.self)") }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try decode(integer: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(integer: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(integer: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(integer: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(integer: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(integer: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(integer: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(integer: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(integer: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(integer: type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Data.self {
            guard case .blob(let bytes) = value else { throw mismatch("a blob") }
            return Data(bytes) as! T
        }
        if type == Date.self {
            guard case .timestamp(let seconds) = value else { throw mismatch("a timestamp") }
            return Date(timeIntervalSince1970: seconds) as! T
        }
        if type == WireValue.self { return value as! T }
        return try T(from: self)
    }
}

private struct KeyedWireContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: WireValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool { members[key.stringValue] == nil }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let member = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "member \(key.stringValue) is absent"))
        }
        return try WireDecoding(value: member, codingPath: codingPath + [key]).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try WireDecoding(value: members[key.stringValue] ?? .object([:]), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try WireDecoding(value: members[key.stringValue] ?? .list([]), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { WireDecoding(value: .object(members), codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        WireDecoding(value: members[key.stringValue] ?? .object([:]), codingPath: codingPath + [key])
    }
}

private struct UnkeyedWireContainer: UnkeyedDecodingContainer {
    let elements: [WireValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [WireValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "list exhausted"))
        }
        defer { currentIndex += 1 }
        return try WireDecoding(value: elements[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)]).decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        defer { currentIndex += 1 }
        return try WireDecoding(value: elements[currentIndex], codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        defer { currentIndex += 1 }
        return try WireDecoding(value: elements[currentIndex], codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        defer { currentIndex += 1 }
        return WireDecoding(value: elements[currentIndex], codingPath: codingPath)
    }
}

/// A coding key for list positions.
struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String

    init(_ index: Int) {
        intValue = index
        stringValue = String(index)
    }

    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}
