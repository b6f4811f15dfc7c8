import NimbusCore
import NimbusS3
import Testing

@Suite struct NotificationEventTests {
    @Test func wildcardsCoverTheirFamilyOnly() {
        #expect(NotificationEvents.pattern("s3:ObjectCreated:*", matches: "ObjectCreated:Put"))
        #expect(NotificationEvents.pattern("s3:ObjectCreated:*", matches: "ObjectCreated:CompleteMultipartUpload"))
        #expect(!NotificationEvents.pattern("s3:ObjectCreated:*", matches: "ObjectRemoved:Delete"))
        #expect(NotificationEvents.pattern("s3:ObjectRemoved:Delete", matches: "ObjectRemoved:Delete"))
        #expect(!NotificationEvents.pattern("s3:ObjectRemoved:Delete", matches: "ObjectRemoved:DeleteMarkerCreated"))
        #expect(!NotificationEvents.pattern("ObjectCreated:Put", matches: "ObjectCreated:Put"))
    }

    @Test func overlappingTypes() {
        #expect(NotificationEvents.overlap("s3:ObjectCreated:*", "s3:ObjectCreated:Copy"))
        #expect(NotificationEvents.overlap("s3:ObjectCreated:Copy", "s3:ObjectCreated:*"))
        #expect(!NotificationEvents.overlap("s3:ObjectCreated:Put", "s3:ObjectCreated:Copy"))
        #expect(!NotificationEvents.overlap("s3:ObjectCreated:*", "s3:ObjectRemoved:*"))
    }

    @Test func prefixAndSuffixFilterKeys() {
        let rule = NotificationRule(
            id: "r",
            destination: .queue,
            target: "arn:aws:sqs:us-east-1:1:q",
            events: ["s3:ObjectCreated:*"],
            prefix: "in/",
            suffix: ".jpg"
        )
        #expect(rule.matches(eventName: "ObjectCreated:Put", key: "in/cat.jpg"))
        #expect(!rule.matches(eventName: "ObjectCreated:Put", key: "in/cat.png"))
        #expect(!rule.matches(eventName: "ObjectCreated:Put", key: "out/cat.jpg"))
        #expect(!rule.matches(eventName: "ObjectRemoved:Delete", key: "in/cat.jpg"))
    }
}

@Suite struct NotificationValidationTests {
    let queue = "arn:aws:sqs:us-east-1:000000000000:q"

    func configuration(_ filters: [(prefix: String?, suffix: String?, events: [String])]) -> S3Shapes.NotificationConfiguration {
        S3Shapes.NotificationConfiguration(
            queueConfigurations: filters.map { filter in
                var rules: [S3Shapes.FilterRule] = []
                if let prefix = filter.prefix { rules.append(S3Shapes.FilterRule(name: "prefix", value: prefix)) }
                if let suffix = filter.suffix { rules.append(S3Shapes.FilterRule(name: "suffix", value: suffix)) }
                return S3Shapes.QueueConfiguration(
                    events: filter.events,
                    filter: rules.isEmpty ? nil : S3Shapes.NotificationConfigurationFilter(key: S3Shapes.S3KeyFilter(filterRules: rules)),
                    queueArn: queue
                )
            }
        )
    }

    func rejection(_ filters: [(prefix: String?, suffix: String?, events: [String])]) -> AWSError? {
        do {
            _ = try NotificationRules(configuration(filters))
            return nil
        } catch {
            return error
        }
    }

    @Test func disjointFiltersOrEventsAreAccepted() throws {
        #expect(rejection([("images/", nil, ["s3:ObjectCreated:*"]), ("docs/", nil, ["s3:ObjectCreated:*"])]) == nil)
        #expect(rejection([(nil, ".jpg", ["s3:ObjectCreated:*"]), (nil, ".png", ["s3:ObjectCreated:*"])]) == nil)
        #expect(rejection([(nil, nil, ["s3:ObjectCreated:*"]), (nil, nil, ["s3:ObjectRemoved:*"])]) == nil)
        #expect(rejection([(nil, nil, ["s3:ObjectCreated:Put"]), (nil, nil, ["s3:ObjectCreated:Copy"])]) == nil)
        let rules = try NotificationRules(configuration([("a/", ".txt", ["s3:ObjectCreated:*"])]))
        #expect(rules.rules.count == 1)
        #expect(!(rules.rules[0].id.isEmpty))
    }

    @Test func overlappingRulesAreRejected() {
        let unfiltered = rejection([(nil, nil, ["s3:ObjectCreated:*"]), (nil, nil, ["s3:ObjectCreated:Put"])])
        #expect(unfiltered?.code == "InvalidArgument")
        #expect(unfiltered?.message.hasPrefix("Configurations overlap") == true)
        let nested = rejection([("images/", nil, ["s3:ObjectCreated:*"]), ("images/raw/", nil, ["s3:ObjectCreated:Put"])])
        #expect(nested?.message.hasPrefix("Configuration is ambiguously defined") == true)
        let suffixes = rejection([(nil, ".jpg", ["s3:ObjectCreated:*"]), (nil, "cat.jpg", ["s3:ObjectCreated:*"])])
        #expect(suffixes?.code == "InvalidArgument")
    }

    @Test func badRulesAreRejected() {
        #expect(rejection([(nil, nil, ["s3:ObjectCreated:Sideways"])])?.message == "The event is not supported for notifications")
        let twoPrefixes = S3Shapes.NotificationConfiguration(
            queueConfigurations: [
                S3Shapes.QueueConfiguration(
                    events: ["s3:ObjectCreated:*"],
                    filter: S3Shapes.NotificationConfigurationFilter(
                        key: S3Shapes.S3KeyFilter(filterRules: [.init(name: "prefix", value: "a"), .init(name: "Prefix", value: "b")])
                    ),
                    queueArn: queue
                )
            ]
        )
        #expect(throws: AWSError.self) { try NotificationRules(twoPrefixes) }
    }

    @Test func roundTripsToTheWireShape() throws {
        let rules = try NotificationRules(configuration([("in/", ".csv", ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"])]))
        let wire = rules.configuration
        let queueConfiguration = try #require(wire.queueConfigurations?.first)
        #expect(queueConfiguration.queueArn == queue)
        #expect(queueConfiguration.events == ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"])
        #expect(queueConfiguration.filter?.key?.filterRules == [.init(name: "Prefix", value: "in/"), .init(name: "Suffix", value: ".csv")])
        #expect(wire.topicConfigurations == nil && wire.lambdaFunctionConfigurations == nil)
    }
}
