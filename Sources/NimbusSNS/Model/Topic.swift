import NimbusCore

/// A topic as stored: its name, kind, the attributes set on it and its tags.
struct Topic: Sendable, Hashable {
    var arn: String
    var name: String
    var fifo: Bool
    /// The attributes set through CreateTopic/SetTopicAttributes (not the computed ones).
    var attributes: [String: String]
    var tags: [String: String]
    var createdAt: Double
    var subscriptionsDeleted: Int64

    var contentBasedDeduplication: Bool { attributes["ContentBasedDeduplication"] == "true" }

    /// `1` (SHA1withRSA) unless the topic's `SignatureVersion` attribute is `2` (SHA256withRSA).
    var signatureVersion: String { attributes["SignatureVersion"] == "2" ? "2" : "1" }
}

/// Topic names: 1–256 letters, digits, hyphens and underscores; FIFO topics end in `.fifo`.
/// See https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
enum TopicNames {
    static func validate(_ name: String, fifo: Bool) throws(AWSError) {
        let base = fifo && name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        let valid =
            !base.isEmpty && name.utf8.count <= 256
            && base.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
        if fifo {
            guard valid, name.hasSuffix(".fifo") else {
                throw .invalidParameter(
                    "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
                )
            }
        } else {
            guard valid else { throw .invalidParameter("Topic Name") }
        }
    }

    /// The topic ARN's parts, or AWS's error for a malformed ARN.
    static func parseARN(_ text: String, member: String = "TopicArn") throws(AWSError) -> ARN {
        guard let arn = ARN(text), arn.service == "sns", !arn.resource.contains(":") else {
            throw .invalidParameter("\(member)")
        }
        return arn
    }
}

/// The attributes of topics that callers may set, with their checks.
/// See https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
enum TopicAttributes {
    static let settable: Set<String> = [
        "Policy", "DisplayName", "DeliveryPolicy", "ContentBasedDeduplication", "KmsMasterKeyId", "SignatureVersion",
        "TracingConfig", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
        "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
        "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
        "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
        "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn",
        "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
    ]

    /// Checks one attribute for a topic of kind `fifo`; `creating` allows `FifoTopic`.
    static func validate(_ name: String, _ value: String, fifo: Bool, creating: Bool) throws(AWSError) {
        switch name {
        case "FifoTopic":
            guard creating else { throw .invalidParameter("AttributeName") }
            guard value == "true" || value == "false" else { throw .invalidParameter("Attributes Reason: FifoTopic must be true or false") }
        case "ContentBasedDeduplication":
            guard value == "true" || value == "false" else {
                throw .invalidParameter("Attributes Reason: ContentBasedDeduplication must be true or false")
            }
            guard fifo || value == "false" else {
                throw .invalidParameter("Attributes Reason: Content-based deduplication can only be set for FIFO topics")
            }
        case "SignatureVersion":
            guard value == "1" || value == "2" else { throw .invalidParameter("Attributes Reason: SignatureVersion must be 1 or 2") }
        case "TracingConfig":
            guard value == "PassThrough" || value == "Active" else {
                throw .invalidParameter("Attributes Reason: TracingConfig must be PassThrough or Active")
            }
        case "DisplayName":
            guard value.utf8.count <= 100 else { throw .invalidParameter("DisplayName") }
        case "Policy", "DataProtectionPolicy", "ArchivePolicy":
            guard isJSONObject(value) else { throw .invalidParameter("\(name): failed to parse JSON") }
        case "DeliveryPolicy":
            _ = try DeliveryPolicy.topicPolicy(value)
        default:
            guard settable.contains(name) else { throw .invalidParameter("AttributeName") }
        }
    }

    static func isJSONObject(_ text: String) -> Bool {
        DeliveryPolicy.object(text) != nil
    }

    /// AWS's default access policy of a new topic.
    static func defaultPolicy(topicARN: String, account: String) -> String {
        """
        {"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow",\
        "Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission",\
        "SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],\
        "Resource":"\(topicARN)","Condition":{"StringEquals":{"AWS:SourceOwner":"\(account)"}}}]}
        """
    }
}
