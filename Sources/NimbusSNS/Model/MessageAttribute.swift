import Foundation
import NimbusCore
import NimbusEventPatterns
import NimbusWire

/// A published message attribute, validated: `String`, `Number`, `Binary` or `String.Array`
/// (each optionally with a custom `.suffix`, e.g. `Number.float`).
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
package struct MessageAttribute: Sendable, Hashable {
    package enum Kind: String, Sendable {
        case string = "String"
        case number = "Number"
        case binary = "Binary"
        case stringArray = "String.Array"
    }

    /// The data type as sent (`String`, `Number.int`, `String.Array`…).
    package var dataType: String
    /// The text value; for `Binary`, the base64 of the bytes.
    package var value: String

    package init(dataType: String, value: String) {
        self.dataType = dataType
        self.value = value
    }

    package var kind: Kind {
        if dataType == "String.Array" { return .stringArray }
        if dataType.hasPrefix("Number") { return .number }
        if dataType.hasPrefix("Binary") { return .binary }
        return .string
    }

    /// The values a filter policy compares with this attribute.
    var filterValues: [PatternValue] {
        switch kind {
        case .string: return [.string(value)]
        case .number: return Double(value).map { [.number($0)] } ?? []
        case .binary: return []
        case .stringArray:
            guard let parsed = try? JSONParser.parse(Array(value.utf8)), case .array(let elements) = parsed else { return [] }
            return elements.compactMap { element in
                switch element {
                case .string(let text): .string(text)
                case .number(let text): Double(text).map(PatternValue.number)
                case .bool(let flag): .bool(flag)
                case .null: .null
                default: nil
                }
            }
        }
    }

    /// The bytes this attribute counts towards the 256 KiB message limit (name, type and value).
    func size(name: String) -> Int {
        name.utf8.count + dataType.utf8.count + (kind == .binary ? (Base64.decode(value)?.count ?? value.utf8.count) : value.utf8.count)
    }

    /// Validates the attributes of a Publish call and turns them into `MessageAttribute`s.
    /// - Throws: AWS's `ParameterValueInvalid` for a bad name, type or value.
    static func validated(_ attributes: [String: SNSShapes.MessageAttributeValue]?) throws(AWSError) -> [String: MessageAttribute] {
        guard let attributes else { return [:] }
        var result: [String: MessageAttribute] = [:]
        for (name, attribute) in attributes {
            try validateName(name)
            let type = attribute.dataType
            guard ["String", "Number", "Binary"].contains(where: { type == $0 || type.hasPrefix($0 + ".") }), type.utf8.count <= 256 else {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
                )
            }
            if type.hasPrefix("Binary") {
                guard let bytes = attribute.binaryValue, !bytes.isEmpty else {
                    throw .invalidParameterValue("The message attribute '\(name)' with type 'Binary' must contain a non-empty binary value.")
                }
                result[name] = MessageAttribute(dataType: type, value: Base64.encode(Array(bytes)))
                continue
            }
            guard let text = attribute.stringValue, !text.isEmpty else {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(type)'."
                )
            }
            let value = MessageAttribute(dataType: type, value: text)
            switch value.kind {
            case .number:
                guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, abs(number) <= 1e126 else {
                    throw .invalidParameterValue("Could not cast message attribute '\(name)' value to number.")
                }
            case .stringArray:
                guard let parsed = try? JSONParser.parse(Array(text.utf8)), case .array(let elements) = parsed,
                    elements.allSatisfy({ if case .array = $0 { false } else if case .object = $0 { false } else { true } })
                else {
                    throw .invalidParameterValue(
                        "The message attribute '\(name)' with type 'String.Array' has an invalid value: the value must be a JSON array of strings, numbers, true, false or null."
                    )
                }
            default:
                break
            }
            result[name] = value
        }
        return result
    }

    private static func validateName(_ name: String) throws(AWSError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        let lowered = name.lowercased()
        guard !name.isEmpty, name.utf8.count <= 256, allowed, !name.hasPrefix("."), !name.hasSuffix("."), !name.contains(".."),
            !lowered.hasPrefix("aws."), !lowered.hasPrefix("amazon.")
        else {
            throw .invalidParameterValue("The message attribute name '\(name)' is invalid.")
        }
    }
}

extension MessageAttribute {
    /// `{"Type": "String", "Value": "…"}`, the form the SNS envelope carries.
    var envelopeJSON: JSONValue {
        .object(["Type": .string(dataType), "Value": .string(value)])
    }

    /// The attribute as an SQS message attribute (`DataType` with `StringValue` or base64 `BinaryValue`), for raw delivery.
    var sqsJSON: JSONValue {
        kind == .binary
            ? .object(["DataType": .string(dataType), "BinaryValue": .string(value)])
            : .object(["DataType": .string(dataType), "StringValue": .string(value)])
    }
}
