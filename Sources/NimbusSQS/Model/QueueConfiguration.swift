import NimbusCore

/// The settable attributes of a queue, validated against AWS's ranges, with AWS's defaults.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
struct QueueConfiguration: Hashable, Sendable {
    var fifo: Bool
    var delaySeconds = 0
    var maximumMessageSize = 262_144
    var messageRetentionPeriod = 345_600
    var receiveMessageWaitTimeSeconds = 0
    var visibilityTimeout = 30
    var policy: String?
    var redrivePolicy: RedrivePolicy?
    var redriveAllowPolicy: String?
    var contentBasedDeduplication = false
    var deduplicationScope = "queue"
    var fifoThroughputLimit = "perQueue"
    var kmsMasterKeyId: String?
    var kmsDataKeyReusePeriodSeconds = 300
    var sqsManagedSseEnabled = true

    static let ranges: [String: ClosedRange<Int>] = [
        "DelaySeconds": 0...900,
        "MaximumMessageSize": 1_024...1_048_576,
        "MessageRetentionPeriod": 60...1_209_600,
        "ReceiveMessageWaitTimeSeconds": 0...20,
        "VisibilityTimeout": 0...43_200,
        "KmsDataKeyReusePeriodSeconds": 60...86_400,
    ]

    /// Attributes a caller may set on any queue.
    static let settable: Set<String> = [
        "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout",
        "Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
    ]

    /// Attributes only FIFO queues have.
    static let fifoOnly: Set<String> = ["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]

    /// Attributes the service computes; GetQueueAttributes returns them, nobody sets them.
    static let computed: [String] = [
        "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp", "LastModifiedTimestamp",
    ]

    /// Every attribute name of the model (GetQueueAttributes accepts these and `All`).
    static let known: Set<String> = settable.union(fifoOnly).union(computed).union(["FifoQueue"])

    init(fifo: Bool) {
        self.fifo = fifo
    }

    /// Applies `attributes` as CreateQueue (`creating`) or SetQueueAttributes does.
    /// - Throws: `InvalidAttributeName` for an unknown or read-only attribute,
    ///   `InvalidAttributeValue`/`InvalidParameterValue` for a value AWS refuses.
    mutating func apply(_ attributes: [String: String], creating: Bool) throws(AWSError) {
        for name in attributes.keys.sorted() {
            let value = attributes[name]!
            try set(name, value, creating: creating)
        }
        if fifo, fifoThroughputLimit == "perMessageGroupId", deduplicationScope != "messageGroup" {
            throw AWSError.invalidAttributeValue(
                "FifoThroughputLimit",
                "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup."
            )
        }
    }

    private mutating func set(_ name: String, _ value: String, creating: Bool) throws(AWSError) {
        if let range = Self.ranges[name] {
            guard let number = Int(value), range.contains(number) else { throw AWSError.invalidAttributeValue(name) }
            switch name {
            case "DelaySeconds": delaySeconds = number
            case "MaximumMessageSize": maximumMessageSize = number
            case "MessageRetentionPeriod": messageRetentionPeriod = number
            case "ReceiveMessageWaitTimeSeconds": receiveMessageWaitTimeSeconds = number
            case "VisibilityTimeout": visibilityTimeout = number
            default: kmsDataKeyReusePeriodSeconds = number
            }
            return
        }
        switch name {
        case "Policy":
            guard !value.isEmpty else {
                policy = nil
                return
            }
            guard JSONText.isObject(value) else { throw AWSError.invalidAttributeValue(name, "Policy is not a valid JSON document") }
            policy = value
        case "RedrivePolicy":
            redrivePolicy = value.isEmpty ? nil : try RedrivePolicy(json: value)
        case "RedriveAllowPolicy":
            if !value.isEmpty { _ = try RedriveAllowPolicy(json: value) }
            redriveAllowPolicy = value.isEmpty ? nil : value
        case "KmsMasterKeyId":
            kmsMasterKeyId = value.isEmpty ? nil : value
            if kmsMasterKeyId != nil { sqsManagedSseEnabled = false }
        case "SqsManagedSseEnabled":
            sqsManagedSseEnabled = try Self.boolean(name, value)
            if sqsManagedSseEnabled { kmsMasterKeyId = nil }
        case "FifoQueue":
            // Fixed at creation: `true` only for `.fifo` names, never changed afterwards.
            guard creating, try Self.boolean(name, value) == fifo else { throw AWSError.invalidAttributeValue(name) }
        case "ContentBasedDeduplication" where fifo:
            contentBasedDeduplication = try Self.boolean(name, value)
        case "DeduplicationScope" where fifo:
            guard value == "queue" || value == "messageGroup" else { throw AWSError.invalidAttributeValue(name) }
            deduplicationScope = value
        case "FifoThroughputLimit" where fifo:
            guard value == "perQueue" || value == "perMessageGroupId" else { throw AWSError.invalidAttributeValue(name) }
            fifoThroughputLimit = value
        default:
            throw AWSError.invalidAttributeName(name)
        }
    }

    private static func boolean(_ name: String, _ value: String) throws(AWSError) -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw AWSError.invalidAttributeValue(name)
        }
    }

    /// The settable attributes as GetQueueAttributes shows them (only those that are set, for
    /// the optional ones), keyed by attribute name.
    var attributes: [String: String] {
        var result: [String: String] = [
            "DelaySeconds": "\(delaySeconds)",
            "MaximumMessageSize": "\(maximumMessageSize)",
            "MessageRetentionPeriod": "\(messageRetentionPeriod)",
            "ReceiveMessageWaitTimeSeconds": "\(receiveMessageWaitTimeSeconds)",
            "VisibilityTimeout": "\(visibilityTimeout)",
            "SqsManagedSseEnabled": sqsManagedSseEnabled ? "true" : "false",
        ]
        if let policy { result["Policy"] = policy }
        if let redrivePolicy { result["RedrivePolicy"] = redrivePolicy.json }
        if let redriveAllowPolicy { result["RedriveAllowPolicy"] = redriveAllowPolicy }
        if let kmsMasterKeyId {
            result["KmsMasterKeyId"] = kmsMasterKeyId
            result["KmsDataKeyReusePeriodSeconds"] = "\(kmsDataKeyReusePeriodSeconds)"
        }
        if fifo {
            result["FifoQueue"] = "true"
            result["ContentBasedDeduplication"] = contentBasedDeduplication ? "true" : "false"
            result["DeduplicationScope"] = deduplicationScope
            result["FifoThroughputLimit"] = fifoThroughputLimit
        }
        return result
    }

    /// The name of the first attribute in `requested` whose value differs from this
    /// configuration's (CreateQueue on an existing queue), or `nil` when all match.
    func firstDifference(from requested: QueueConfiguration, names: some Sequence<String>) -> String? {
        let mine = attributes
        let theirs = requested.attributes
        return names.sorted().first { mine[$0] != theirs[$0] }
    }
}
