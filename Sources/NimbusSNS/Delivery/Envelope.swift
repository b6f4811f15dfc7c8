import NimbusWire

/// The JSON documents SNS delivers: the envelope of HTTP/S and SQS deliveries (`Notification`,
/// `SubscriptionConfirmation`) and the event Lambda subscribers are invoked with, signed.
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
/// and https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
enum Envelope {
    /// Where the signing certificate is served on the Nimbus endpoint (`SigningCertURL`).
    static let certificatePathPrefix = "/_nimbus/sns/"

    static func signingCertURL(_ message: StoredMessage, signer: MessageSigner) -> String {
        message.baseURL + certificatePathPrefix + signer.certificateFileName
    }

    static func unsubscribeURL(_ message: StoredMessage, subscriptionARN: String) -> String {
        message.baseURL + "/?Action=Unsubscribe&SubscriptionArn=" + FormEncoding.uriEncode(subscriptionARN) + "&Version=2010-03-31"
    }

    static func subscribeURL(baseURL: String, topicARN: String, token: String) -> String {
        baseURL + "/?Action=ConfirmSubscription&TopicArn=" + FormEncoding.uriEncode(topicARN) + "&Token=" + token + "&Version=2010-03-31"
    }

    /// SNS timestamps always carry milliseconds: `2026-01-02T03:04:05.000Z`.
    static func timestamp(_ seconds: Double) -> String {
        let text = Timestamp.iso8601(seconds)
        return text.contains(".") ? text : String(text.dropLast()) + ".000Z"
    }

    /// The string AWS signs for a notification: its fields in this order, each `name\nvalue\n`.
    static func canonicalNotification(_ message: StoredMessage, text: String) -> String {
        var canonical = "Message\n\(text)\nMessageId\n\(message.id)\n"
        if let subject = message.subject { canonical += "Subject\n\(subject)\n" }
        canonical += "Timestamp\n\(timestamp(message.timestamp))\nTopicArn\n\(message.topicARN)\nType\nNotification\n"
        return canonical
    }

    /// The string AWS signs for a subscription confirmation.
    static func canonicalConfirmation(_ message: StoredMessage, subscribeURL: String) -> String {
        "Message\n\(message.message)\nMessageId\n\(message.id)\nSubscribeURL\n\(subscribeURL)\nTimestamp\n\(timestamp(message.timestamp))\n"
            + "Token\n\(message.token ?? "")\nTopicArn\n\(message.topicARN)\nType\nSubscriptionConfirmation\n"
    }

    /// The JSON envelope an HTTP/S or SQS subscriber receives (when raw delivery is off).
    static func notification(_ message: StoredMessage, protocol name: String, subscriptionARN: String, signer: MessageSigner) -> [UInt8] {
        let text = message.message(for: name)
        var fields: [(String, JSONValue)] = [("Type", .string("Notification")), ("MessageId", .string(message.id))]
        if let sequence = message.sequenceNumber { fields.append(("SequenceNumber", .string(sequence))) }
        fields.append(("TopicArn", .string(message.topicARN)))
        if let subject = message.subject { fields.append(("Subject", .string(subject))) }
        fields += [
            ("Message", .string(text)),
            ("Timestamp", .string(timestamp(message.timestamp))),
            ("SignatureVersion", .string(message.signatureVersion)),
            ("Signature", .string(signer.sign(canonicalNotification(message, text: text), version: message.signatureVersion))),
            ("SigningCertURL", .string(signingCertURL(message, signer: signer))),
            ("UnsubscribeURL", .string(unsubscribeURL(message, subscriptionARN: subscriptionARN))),
        ]
        if !message.attributes.isEmpty {
            fields.append(("MessageAttributes", .object(message.attributes.mapValues(\.envelopeJSON))))
        }
        return ordered(fields)
    }

    /// The `SubscriptionConfirmation` POSTed to a new HTTP/S subscription.
    static func confirmation(_ message: StoredMessage, signer: MessageSigner) -> [UInt8] {
        let url = subscribeURL(baseURL: message.baseURL, topicARN: message.topicARN, token: message.token ?? "")
        return ordered([
            ("Type", .string("SubscriptionConfirmation")),
            ("MessageId", .string(message.id)),
            ("Token", .string(message.token ?? "")),
            ("TopicArn", .string(message.topicARN)),
            ("Message", .string(message.message)),
            ("SubscribeURL", .string(url)),
            ("Timestamp", .string(timestamp(message.timestamp))),
            ("SignatureVersion", .string(message.signatureVersion)),
            ("Signature", .string(signer.sign(canonicalConfirmation(message, subscribeURL: url), version: message.signatureVersion))),
            ("SigningCertURL", .string(signingCertURL(message, signer: signer))),
        ])
    }

    /// The event a Lambda subscriber is invoked with: one record whose `Sns` member is the envelope
    /// (with Lambda's spellings `SigningCertUrl`/`UnsubscribeUrl`, `Subject` null when absent).
    static func lambdaEvent(_ message: StoredMessage, subscriptionARN: String, signer: MessageSigner) -> [UInt8] {
        let text = message.message(for: "lambda")
        var sns: [(String, JSONValue)] = [
            ("Type", .string("Notification")),
            ("MessageId", .string(message.id)),
            ("TopicArn", .string(message.topicARN)),
            ("Subject", message.subject.map(JSONValue.string) ?? .null),
            ("Message", .string(text)),
            ("Timestamp", .string(timestamp(message.timestamp))),
            ("SignatureVersion", .string(message.signatureVersion)),
            ("Signature", .string(signer.sign(canonicalNotification(message, text: text), version: message.signatureVersion))),
            ("SigningCertUrl", .string(signingCertURL(message, signer: signer))),
            ("UnsubscribeUrl", .string(unsubscribeURL(message, subscriptionARN: subscriptionARN))),
            ("MessageAttributes", .object(message.attributes.mapValues(\.envelopeJSON))),
        ]
        if let sequence = message.sequenceNumber { sns.append(("SequenceNumber", .string(sequence))) }
        if let group = message.groupID { sns.append(("MessageGroupId", .string(group))) }
        var record = "{\"EventSource\":\"aws:sns\",\"EventVersion\":\"1.0\",\"EventSubscriptionArn\":"
        record += String(decoding: JSONWriter.encode(.string(subscriptionARN)), as: UTF8.self)
        record += ",\"Sns\":" + String(decoding: ordered(sns), as: UTF8.self) + "}"
        return Array(("{\"Records\":[" + record + "]}").utf8)
    }

    /// A JSON object with its members in the given order (AWS's documents list `Type` first).
    static func ordered(_ fields: [(String, JSONValue)]) -> [UInt8] {
        var writer = JSONWriter()
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, (name, value)) in fields.enumerated() {
            writer = JSONWriter()
            writer.writeString(name)
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += writer.bytes
            bytes.append(UInt8(ascii: ":"))
            bytes += JSONWriter.encode(value)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
