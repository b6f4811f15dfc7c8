import NimbusCore
import Testing

@testable import NimbusSQS

@Suite struct MessageDigestTests {
    @Test func bodyDigestIsTheMD5OfItsUTF8() {
        #expect(MessageDigest.body("hello") == "5d41402abc4b2a76b9719d911017c592")
    }

    /// Expected values computed independently (Tests/compat/sqskit.py, from AWS's documentation).
    @Test func attributeDigestFollowsAWSEncoding() {
        let attributes: [String: MessageAttribute] = [
            "text": MessageAttribute(dataType: "String", stringValue: "héllo"),
            "blob": MessageAttribute(dataType: "Binary", binaryValue: [0, 1]),
            "n": MessageAttribute(dataType: "Number.int", stringValue: "7"),
        ]
        #expect(MessageDigest.attributes(attributes) == "33fe00f450f033026b8c37cd9b18cd32")
        let trace = ["AWSTraceHeader": MessageAttribute(dataType: "String", stringValue: "Root=1-abc")]
        #expect(MessageDigest.attributes(trace) == "4777fe4e8f0ac8a9a8da35539c6fb198")
        #expect(MessageDigest.attributes([:]) == nil)
    }
}

@Suite struct ReceiptHandleTests {
    let signer = ReceiptSigner(key: Array(repeating: 7, count: 32))

    @Test func roundTripsAndRejectsTamperingAndOtherKeys() {
        let handle = ReceiptHandle(queue: 3, sequence: 1_795_000_000_000_001, receipt: 42)
        let text = signer.encode(handle)
        #expect(signer.decode(text) == handle)
        var bytes = Array(text.utf8)
        bytes[5] = bytes[5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(signer.decode(String(decoding: bytes, as: UTF8.self)) == nil)
        #expect(ReceiptSigner(key: Array(repeating: 8, count: 32)).decode(text) == nil)
        #expect(signer.decode("") == nil)
        #expect(signer.decode("not base64 !") == nil)
        #expect(signer.decode(String(repeating: "A", count: 400)) == nil)
    }
}

@Suite struct QueueNameTests {
    @Test func urlsNameAccountAndQueueWhateverTheHost() throws {
        #expect(try QueueName.key(fromURL: "http://localhost:4566/000000000000/jobs") == QueueKey(account: "000000000000", name: "jobs"))
        #expect(try QueueName.key(fromURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/a.fifo").name == "a.fifo")
        #expect(try QueueName.key(fromURL: "/000000000000/jobs").name == "jobs")
        #expect(throws: AWSError.self) { try QueueName.key(fromURL: "http://localhost:4566") }
        #expect((try? QueueName.key(fromURL: "http://h/notanaccount/q")) == nil)
    }

    @Test func namesFollowAWSRules() {
        #expect((try? QueueName.validate("ok-Name_1", fifo: false)) != nil)
        #expect((try? QueueName.validate("ok.fifo", fifo: true)) != nil)
        #expect((try? QueueName.validate("ok.fifo", fifo: false)) == nil)
        #expect((try? QueueName.validate("ok", fifo: true)) == nil)
        #expect((try? QueueName.validate(".fifo", fifo: true)) == nil)
        #expect((try? QueueName.validate(String(repeating: "a", count: 81), fifo: false)) == nil)
    }
}

@Suite struct QueueConfigurationTests {
    @Test func defaultsAreAWSs() {
        let attributes = QueueConfiguration(fifo: false).attributes
        #expect(attributes["VisibilityTimeout"] == "30")
        #expect(attributes["MessageRetentionPeriod"] == "345600")
        #expect(attributes["MaximumMessageSize"] == "262144")
        #expect(attributes["DelaySeconds"] == "0")
        #expect(attributes["ReceiveMessageWaitTimeSeconds"] == "0")
        #expect(attributes["FifoQueue"] == nil)
    }

    @Test func rangesAndNamesAreChecked() {
        var configuration = QueueConfiguration(fifo: false)
        #expect(throws: AWSError.invalidAttributeValue("VisibilityTimeout")) {
            try configuration.apply(["VisibilityTimeout": "43201"], creating: true)
        }
        #expect(throws: AWSError.invalidAttributeName("Nope")) { try configuration.apply(["Nope": "1"], creating: true) }
        #expect(throws: AWSError.invalidAttributeName("ContentBasedDeduplication")) {
            try configuration.apply(["ContentBasedDeduplication": "true"], creating: true)
        }
        #expect(throws: Never.self) { try configuration.apply(["MaximumMessageSize": "1048576"], creating: false) }
        #expect(configuration.maximumMessageSize == 1_048_576)
    }

    @Test func redrivePolicyAcceptsNumbersOrStrings() throws {
        let arn = "arn:aws:sqs:us-east-1:000000000000:dlq"
        #expect(try RedrivePolicy(json: #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":"3"}"#).maxReceiveCount == 3)
        #expect(try RedrivePolicy(json: #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":3}"#).json.contains(#""maxReceiveCount":3"#))
        #expect((try? RedrivePolicy(json: #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":0}"#)) == nil)
        #expect((try? RedrivePolicy(json: #"{"deadLetterTargetArn":"nope","maxReceiveCount":3}"#)) == nil)
        #expect((try? RedrivePolicy(json: "[]")) == nil)
    }
}
