import Foundation
package import NimbusWire

/// Something that happened to an object and may be notified: what, to which key, by whom.
package struct ObjectEvent: Codable, Sendable, Hashable {
    /// The record's `eventName`, e.g. `ObjectCreated:Put` (S3 drops the `s3:` prefix there).
    package var name: String
    package var bucket: String
    package var key: String
    package var size: Int?
    /// The ETag without quotes, as records carry it.
    package var eTag: String?
    package var versionID: String?
    /// Orders events for one key (hexadecimal, increasing).
    package var sequencer: String
    package var time: Double
    package var requestID: String
    package var hostID: String
    package var sourceIP: String
    package var principalID: String

    package init(
        name: String,
        bucket: String,
        key: String,
        size: Int? = nil,
        eTag: String? = nil,
        versionID: String? = nil,
        sequencer: String,
        time: Double,
        requestID: String,
        hostID: String = "",
        sourceIP: String = "127.0.0.1",
        principalID: String = ""
    ) {
        self.name = name
        self.bucket = bucket
        self.key = key
        self.size = size
        self.eTag = eTag.map { $0.trimming("\"") }
        self.versionID = versionID
        self.sequencer = sequencer
        self.time = time
        self.requestID = requestID
        self.hostID = hostID
        self.sourceIP = sourceIP
        self.principalID = principalID
    }
}

/// The JSON S3 sends to notification targets: `{"Records": [record]}` in AWS's event
/// message structure (version 2.1), and the `s3:TestEvent` sent when a configuration is set.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
package enum NotificationRecord {
    /// The record of `event` for the configuration `configurationID` of a bucket in `region`
    /// owned by `ownerID`.
    package static func record(_ event: ObjectEvent, configurationID: String, region: String, ownerID: String) -> JSONValue {
        var object: [String: JSONValue] = ["key": .string(encodeKey(event.key)), "sequencer": .string(event.sequencer)]
        if let size = event.size { object["size"] = .number(String(size)) }
        if let eTag = event.eTag { object["eTag"] = .string(eTag) }
        if let versionID = event.versionID { object["versionId"] = .string(versionID) }
        return .object([
            "eventVersion": .string("2.1"),
            "eventSource": .string("aws:s3"),
            "awsRegion": .string(region),
            "eventTime": .string(eventTime(event.time)),
            "eventName": .string(event.name),
            "userIdentity": .object(["principalId": .string(event.principalID)]),
            "requestParameters": .object(["sourceIPAddress": .string(event.sourceIP)]),
            "responseElements": .object(["x-amz-request-id": .string(event.requestID), "x-amz-id-2": .string(event.hostID)]),
            "s3": .object([
                "s3SchemaVersion": .string("1.0"),
                "configurationId": .string(configurationID),
                "bucket": .object([
                    "name": .string(event.bucket),
                    "ownerIdentity": .object(["principalId": .string(ownerID)]),
                    "arn": .string("arn:aws:s3:::\(event.bucket)"),
                ]),
                "object": .object(object),
            ]),
        ])
    }

    /// The message body: `{"Records": [record]}`.
    package static func document(_ event: ObjectEvent, configurationID: String, region: String, ownerID: String) -> [UInt8] {
        JSONWriter.encode(.object(["Records": .array([record(event, configurationID: configurationID, region: region, ownerID: ownerID)])]))
    }

    /// The `s3:TestEvent` S3 sends to queues and topics when a configuration is set.
    package static func testEvent(bucket: String, time: Double, requestID: String, hostID: String) -> [UInt8] {
        JSONWriter.encode(
            .object([
                "Service": .string("Amazon S3"),
                "Event": .string("s3:TestEvent"),
                "Time": .string(eventTime(time)),
                "Bucket": .string(bucket),
                "RequestId": .string(requestID),
                "HostId": .string(hostID),
            ])
        )
    }

    /// A key as records carry it: URL-encoded, spaces as `+`, slashes kept.
    package static func encodeKey(_ key: String) -> String {
        FormEncoding.uriEncode(key, keepSlash: true).replacingOccurrences(of: "%20", with: "+")
    }

    /// `2026-01-02T03:04:05.123Z`, always with milliseconds as S3 writes it.
    package static func eventTime(_ seconds: Double) -> String {
        let total = Int((seconds * 1000).rounded())
        let text = Timestamp.iso8601(Double(total / 1000))
        let digits = String(total % 1000)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
