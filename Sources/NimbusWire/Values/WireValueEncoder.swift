package import Foundation

/// Encodes generated `Codable` shapes into a `WireValue` for a protocol serializer.
///
/// `Data` becomes a blob, `Date` a timestamp, `nil` members are left out.
package struct WireValueEncoder {
    package init() {}

    package func encode(_ value: some Encodable) throws -> WireValue {
        let box = WireBox()
        try WireEncoding(box: box, codingPath: []).encodeValue(value)
        return box.value ?? .object([:])
    }
}

/// A mutable slot the nested containers write into.
private final class WireBox {
    var value: WireValue?
    var members: [String: WireBox] = [:]
    var elements: [WireBox] = []
    var kind: Kind = .single

    enum Kind { case single, object, list }

    func resolved() -> WireValue? {
        switch kind {
        case .single: value
        case .object: .object(members.compactMapValues { $0.resolved() })
        case .list: .list(elements.compactMap { $0.resolved() })
        }
    }
}

private struct WireEncoding: Encoder, SingleValueEncodingContainer {
    let box: WireBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.kind = .object
        return KeyedEncodingContainer(KeyedWireEncoder<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.kind = .list
        return UnkeyedWireEncoder(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeValue(_ value: some Encodable) throws {
        try encode(value)
        box.value = box.resolved()
    }

    func encodeNil() {}
    func encode(_ value: Bool) { box.value = .boolean(value) }
    func encode(_ value: String) { box.value = .string(value) }
    func encode(_ value: Double) { box.value = .double(value) }
    func encode(_ value: Float) { box.value = .double(Double(value)) }
    func encode(_ value: Int) { box.value = .integer(Int64(value)) }
    func encode(_ value: Int8) { box.value = .integer(Int64(value)) }
    func encode(_ value: Int16) { box.value = .integer(Int64(value)) }
    func encode(_ value: Int32) { box.value = .integer(Int64(value)) }
    func encode(_ value: Int64) { box.value = .integer(value) }
    func encode(_ value: UInt) { box.value = .integer(Int64(clamping: value)) }
    func encode(_ value: UInt8) { box.value = .integer(Int64(value)) }
    func encode(_ value: UInt16) { box.value = .integer(Int64(value)) }
    func encode(_ value: UInt32) { box.value = .integer(Int64(value)) }
    func encode(_ value: UInt64) { box.value = .integer(Int64(clamping: value)) }

    func encode<T: Encodable>(_ value: T) throws {
        switch value {
        case let data as Data: box.value = .blob([UInt8](data))
        case let date as Date: box.value = .timestamp(date.timeIntervalSince1970)
        case let wire as WireValue: box.value = wire
        default:
            try value.encode(to: self)
            if box.kind != .single { box.value = box.resolved() }
        }
    }
}

private struct KeyedWireEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: WireBox
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> WireBox {
        let child = WireBox()
        box.members[key.stringValue] = child
        return child
    }

    mutating func encodeNil(forKey key: Key) {}

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try WireEncoding(box: child(key), codingPath: codingPath + [key]).encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        WireEncoding(box: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        WireEncoding(box: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { WireEncoding(box: box, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { WireEncoding(box: child(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedWireEncoder: UnkeyedEncodingContainer {
    let box: WireBox
    let codingPath: [any CodingKey]
    var count: Int { box.elements.count }

    private func next() -> WireBox {
        let child = WireBox()
        box.elements.append(child)
        return child
    }

    mutating func encodeNil() {}

    mutating func encode<T: Encodable>(_ value: T) throws {
        try WireEncoding(box: next(), codingPath: codingPath + [IndexKey(count)]).encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        WireEncoding(box: next(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        WireEncoding(box: next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { WireEncoding(box: next(), codingPath: codingPath) }
}
