import NimbusCore
import NimbusWire

/// A queue's `RedrivePolicy`: where messages go after `maxReceiveCount` receives.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
struct RedrivePolicy: Hashable, Sendable {
    static let receiveCountRange = 1...1_000

    var deadLetterTargetArn: String
    var maxReceiveCount: Int

    /// Parses the attribute's JSON: `{"deadLetterTargetArn": "arn:…", "maxReceiveCount": 5}`
    /// (the count may also be a string, as the console and CloudFormation send it).
    init(json text: String) throws(AWSError) {
        let invalid = AWSError.invalidParameter("RedrivePolicy", value: text, reason: "Redrive policy is not a valid JSON map")
        guard let document = try? JSONParser.parse(Array(text.utf8)), case .object(let members) = document else { throw invalid }
        guard case .string(let target)? = members["deadLetterTargetArn"], QueueName.key(fromARN: target) != nil else {
            throw AWSError.invalidParameter("RedrivePolicy", value: text, reason: "Invalid value for deadLetterTargetArn")
        }
        let count: Int?
        switch members["maxReceiveCount"] {
        case .number(let number)?: count = Int(number)
        case .string(let string)?: count = Int(string)
        default: count = nil
        }
        guard let count, Self.receiveCountRange.contains(count) else {
            throw AWSError.invalidParameter(
                "RedrivePolicy",
                value: text,
                reason: "Invalid value for maxReceiveCount: must be an integer from 1 to 1000"
            )
        }
        let unknown = Set(members.keys).subtracting(["deadLetterTargetArn", "maxReceiveCount"])
        guard unknown.isEmpty else {
            throw AWSError.invalidParameter("RedrivePolicy", value: text, reason: "Only deadLetterTargetArn and maxReceiveCount are allowed")
        }
        deadLetterTargetArn = target
        maxReceiveCount = count
    }

    /// The attribute as GetQueueAttributes returns it.
    var json: String {
        String(
            decoding: JSONWriter.encode(
                .object(["deadLetterTargetArn": .string(deadLetterTargetArn), "maxReceiveCount": .number("\(maxReceiveCount)")])
            ),
            as: UTF8.self
        )
    }
}

/// A dead-letter queue's `RedriveAllowPolicy`: which source queues may use it.
struct RedriveAllowPolicy: Hashable, Sendable {
    enum Permission: String, Sendable {
        case allowAll, denyAll, byQueue
    }

    var permission: Permission
    var sourceQueueArns: [String]

    init(json text: String) throws(AWSError) {
        func invalid(_ reason: String) -> AWSError {
            AWSError.invalidParameter("RedriveAllowPolicy", value: text, reason: reason)
        }
        guard let document = try? JSONParser.parse(Array(text.utf8)), case .object(let members) = document else {
            throw invalid("Redrive allow policy is not a valid JSON map")
        }
        guard case .string(let name)? = members["redrivePermission"], let permission = Permission(rawValue: name) else {
            throw invalid("Invalid value for redrivePermission: must be allowAll, denyAll or byQueue")
        }
        var arns: [String] = []
        if let list = members["sourceQueueArns"] {
            guard case .array(let items) = list else { throw invalid("sourceQueueArns must be a list of queue ARNs") }
            for item in items {
                guard case .string(let arn) = item, QueueName.key(fromARN: arn) != nil else { throw invalid("Invalid value for sourceQueueArns") }
                arns.append(arn)
            }
        }
        switch permission {
        case .byQueue:
            guard (1...10).contains(arns.count) else { throw invalid("byQueue requires between 1 and 10 sourceQueueArns") }
        case .allowAll, .denyAll:
            guard arns.isEmpty else { throw invalid("sourceQueueArns is allowed only with redrivePermission byQueue") }
        }
        self.permission = permission
        sourceQueueArns = arns
    }

    /// Whether the queue `arn` may send its dead letters to the queue with this policy.
    func allows(source arn: String) -> Bool {
        switch permission {
        case .allowAll: true
        case .denyAll: false
        case .byQueue: sourceQueueArns.contains(arn)
        }
    }
}
