import NimbusWire

/// A published message (or a subscription confirmation) as the outbox keeps it: enough to
/// render every protocol's delivery, signed, long after the Publish call returned.
struct StoredMessage: Sendable, Hashable {
    enum Kind: String, Sendable {
        case notification = "Notification"
        case subscriptionConfirmation = "SubscriptionConfirmation"
    }

    var id: String
    var kind: Kind
    var topicARN: String
    var subject: String?
    /// The message, or with `MessageStructure: json` its `default` entry.
    var message: String
    /// With `MessageStructure: json`: the message for each protocol that has its own entry.
    var perProtocol: [String: String] = [:]
    var attributes: [String: MessageAttribute] = [:]
    var groupID: String?
    var deduplicationID: String?
    var sequenceNumber: String?
    var timestamp: Double
    /// Where this Nimbus is reached (`http://host:port`), for `SigningCertURL`, `UnsubscribeURL` and `SubscribeURL`.
    var baseURL: String
    var signatureVersion: String
    /// The confirmation token of a `SubscriptionConfirmation`.
    var token: String?

    /// The message a subscriber of `protocol` receives.
    func message(for protocol: String) -> String {
        perProtocol[`protocol`] ?? message
    }

    // MARK: Stored form

    var encoded: [UInt8] {
        var members: [String: JSONValue] = [
            "id": .string(id), "kind": .string(kind.rawValue), "topic": .string(topicARN), "message": .string(message),
            "timestamp": .number("\(timestamp)"), "base": .string(baseURL), "signatureVersion": .string(signatureVersion),
        ]
        if let subject { members["subject"] = .string(subject) }
        if !perProtocol.isEmpty { members["perProtocol"] = .object(perProtocol.mapValues(JSONValue.string)) }
        if !attributes.isEmpty {
            members["attributes"] = .object(attributes.mapValues { .object(["t": .string($0.dataType), "v": .string($0.value)]) })
        }
        if let groupID { members["group"] = .string(groupID) }
        if let deduplicationID { members["dedup"] = .string(deduplicationID) }
        if let sequenceNumber { members["sequence"] = .string(sequenceNumber) }
        if let token { members["token"] = .string(token) }
        return JSONWriter.encode(.object(members))
    }

    init(
        id: String,
        kind: Kind,
        topicARN: String,
        subject: String? = nil,
        message: String,
        timestamp: Double,
        baseURL: String,
        signatureVersion: String
    ) {
        self.id = id
        self.kind = kind
        self.topicARN = topicARN
        self.subject = subject
        self.message = message
        self.timestamp = timestamp
        self.baseURL = baseURL
        self.signatureVersion = signatureVersion
    }

    init?(encoded bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes), case .object(let members) = value,
            case .string(let id)? = members["id"], case .string(let kindText)? = members["kind"], let kind = Kind(rawValue: kindText),
            case .string(let topic)? = members["topic"], case .string(let message)? = members["message"],
            let timestamp = members["timestamp"]?.doubleValue, case .string(let base)? = members["base"]
        else { return nil }
        func text(_ key: String) -> String? {
            if case .string(let value)? = members[key] { return value }
            return nil
        }
        self.init(
            id: id,
            kind: kind,
            topicARN: topic,
            subject: text("subject"),
            message: message,
            timestamp: timestamp,
            baseURL: base,
            signatureVersion: text("signatureVersion") ?? "1"
        )
        if case .object(let entries)? = members["perProtocol"] {
            perProtocol = entries.compactMapValues { if case .string(let text) = $0 { text } else { nil } }
        }
        if case .object(let entries)? = members["attributes"] {
            attributes = entries.compactMapValues { entry in
                guard case .object(let fields) = entry, case .string(let type)? = fields["t"], case .string(let value)? = fields["v"] else {
                    return nil
                }
                return MessageAttribute(dataType: type, value: value)
            }
        }
        groupID = text("group")
        deduplicationID = text("dedup")
        sequenceNumber = text("sequence")
        token = text("token")
    }
}
