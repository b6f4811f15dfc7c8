import Foundation
package import NimbusCore

/// A bucket's notification configuration as validated rules, and the conversion from and to
/// the wire shape of Put/GetBucketNotificationConfiguration.
package struct NotificationRules: Codable, Sendable, Hashable {
    package var rules: [NotificationRule]

    package init(rules: [NotificationRule]) {
        self.rules = rules
    }

    /// Validates a configuration as S3 does: known event types, at most one prefix and one
    /// suffix rule per filter, and no two configurations that could both take one event.
    /// Configurations without an `Id` get a generated one.
    /// - Throws: `InvalidArgument` naming the offending piece.
    package init(_ configuration: S3Shapes.NotificationConfiguration) throws(AWSError) {
        var rules: [NotificationRule] = []
        for queue in configuration.queueConfigurations ?? [] {
            rules.append(try Self.rule(.queue, queue.queueArn, queue.events, queue.filter, queue.id))
        }
        for topic in configuration.topicConfigurations ?? [] {
            rules.append(try Self.rule(.topic, topic.topicArn, topic.events, topic.filter, topic.id))
        }
        for function in configuration.lambdaFunctionConfigurations ?? [] {
            rules.append(try Self.rule(.lambda, function.lambdaFunctionArn, function.events, function.filter, function.id))
        }
        for (index, rule) in rules.enumerated() {
            for other in rules[(index + 1)...] where rule.overlaps(other) {
                if rule.unfiltered && other.unfiltered {
                    throw S3Errors.invalidArgument(
                        "Configurations overlap. Configurations on the same bucket cannot share a common event type.",
                        name: "Event",
                        value: rule.events.joined(separator: ", ")
                    )
                }
                throw S3Errors.invalidArgument(
                    "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping "
                        + "for the same event type.",
                    name: "FilterRule",
                    value: rule.prefix ?? rule.suffix ?? ""
                )
            }
        }
        self.rules = rules
    }

    private static func rule(
        _ destination: NotificationRule.Destination,
        _ target: String,
        _ events: [String],
        _ filter: S3Shapes.NotificationConfigurationFilter?,
        _ id: String?
    ) throws(AWSError) -> NotificationRule {
        guard ARN(target) != nil else {
            throw S3Errors.invalidArgument("The ARN is not well formed", name: destination.argumentName, value: target)
        }
        guard !events.isEmpty else { throw S3Errors.malformedXML() }
        for event in events where !NotificationEvents.supported.contains(event) {
            throw S3Errors.invalidArgument("The event is not supported for notifications", name: "Event", value: event)
        }
        var prefix: String?
        var suffix: String?
        for filterRule in filter?.key?.filterRules ?? [] {
            let value = filterRule.value ?? ""
            switch filterRule.name?.lowercased() {
            case "prefix":
                guard prefix == nil else {
                    throw S3Errors.invalidArgument("Cannot specify more than one prefix rule in a filter.", name: "FilterRule", value: value)
                }
                prefix = value
            case "suffix":
                guard suffix == nil else {
                    throw S3Errors.invalidArgument("Cannot specify more than one suffix rule in a filter.", name: "FilterRule", value: value)
                }
                suffix = value
            default:
                throw S3Errors.invalidArgument(
                    "filter rule name must be either prefix or suffix",
                    name: "FilterRule",
                    value: filterRule.name ?? ""
                )
            }
        }
        let id = id.flatMap { $0.isEmpty ? nil : $0 } ?? Self.generatedID()
        return NotificationRule(id: id, destination: destination, target: target, events: events, prefix: prefix, suffix: suffix)
    }

    /// An id like the ones S3 makes up for configurations that have none.
    private static func generatedID() -> String {
        Data(UUID().uuidString.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The configuration in the wire shape GetBucketNotificationConfiguration returns.
    package var configuration: S3Shapes.NotificationConfiguration {
        var configuration = S3Shapes.NotificationConfiguration()
        for rule in rules {
            var filterRules: [S3Shapes.FilterRule] = []
            if let prefix = rule.prefix { filterRules.append(S3Shapes.FilterRule(name: "Prefix", value: prefix)) }
            if let suffix = rule.suffix { filterRules.append(S3Shapes.FilterRule(name: "Suffix", value: suffix)) }
            let filter = filterRules.isEmpty ? nil : S3Shapes.NotificationConfigurationFilter(key: S3Shapes.S3KeyFilter(filterRules: filterRules))
            switch rule.destination {
            case .queue:
                configuration.queueConfigurations =
                    (configuration.queueConfigurations ?? [])
                    + [S3Shapes.QueueConfiguration(events: rule.events, filter: filter, id: rule.id, queueArn: rule.target)]
            case .topic:
                configuration.topicConfigurations =
                    (configuration.topicConfigurations ?? [])
                    + [S3Shapes.TopicConfiguration(events: rule.events, filter: filter, id: rule.id, topicArn: rule.target)]
            case .lambda:
                configuration.lambdaFunctionConfigurations =
                    (configuration.lambdaFunctionConfigurations ?? [])
                    + [S3Shapes.LambdaFunctionConfiguration(events: rule.events, filter: filter, id: rule.id, lambdaFunctionArn: rule.target)]
            }
        }
        return configuration
    }

    /// The rules an event named `eventName` on `key` goes to.
    package func matching(eventName: String, key: String) -> [NotificationRule] {
        rules.filter { $0.matches(eventName: eventName, key: key) }
    }
}

extension NotificationRule.Destination {
    /// The XML element naming a target of this kind, used in error details.
    var argumentName: String {
        switch self {
        case .lambda: "CloudFunction"
        case .queue: "Queue"
        case .topic: "Topic"
        }
    }
}
