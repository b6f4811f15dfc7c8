import NimbusCore
import Testing

@testable import NimbusSNS

/// Attributes in the shape of AWS's documented example message
/// (https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html).
let exampleAttributes: [String: MessageAttribute] = [
    "customer_interests": MessageAttribute(dataType: "String.Array", value: #"["soccer", "rugby", "hockey"]"#),
    "store": MessageAttribute(dataType: "String", value: "example_corp"),
    "event": MessageAttribute(dataType: "String", value: "order_placed"),
    "price_usd": MessageAttribute(dataType: "Number", value: "210.75"),
    "encrypted": MessageAttribute(dataType: "Binary", value: "AQID"),
]

/// The body of AWS's documented example for `FilterPolicyScope: MessageBody`.
let exampleBody = """
    {"store": "example_corp", "event": "order_placed", "customer_interests": ["soccer", "rugby", "hockey"],
     "price_usd": 210.75, "delivery": {"address": {"city": "Seattle", "zip": "98101"}, "express": true}, "coupon": null}
    """

@Suite struct FilterPolicyMatchingTests {
    /// (policy, matches the example message attributes)
    static let attributeCases: [(String, Bool)] = [
        (#"{"store": ["example_corp"]}"#, true),
        (#"{"store": ["other_corp"]}"#, false),
        (#"{"store": ["example_corp"], "event": ["order_placed"]}"#, true),
        (#"{"store": ["example_corp"], "event": ["order_cancelled"]}"#, false),
        (#"{"customer_interests": ["rugby", "football", "baseball"]}"#, true),
        (#"{"customer_interests": ["football"]}"#, false),
        (#"{"price_usd": [{"numeric": [">=", 100]}]}"#, true),
        (#"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#, false),
        (#"{"price_usd": [{"numeric": ["=", 210.75]}]}"#, true),
        (#"{"price_usd": [210.75]}"#, true),
        (#"{"price_usd": [210.76]}"#, false),
        (#"{"store": [{"prefix": "example"}]}"#, true),
        (#"{"store": [{"prefix": "corp"}]}"#, false),
        (#"{"store": [{"suffix": "_corp"}]}"#, true),
        (#"{"store": [{"equals-ignore-case": "EXAMPLE_CORP"}]}"#, true),
        (#"{"store": [{"anything-but": ["example_corp", "other"]}]}"#, false),
        (#"{"store": [{"anything-but": "other_corp"}]}"#, true),
        (#"{"event": [{"anything-but": {"prefix": "order-"}}]}"#, true),
        (#"{"event": [{"anything-but": {"prefix": "order_"}}]}"#, false),
        (#"{"event": [{"anything-but": {"suffix": "_placed"}}]}"#, false),
        (#"{"price_usd": [{"anything-but": [100, 500]}]}"#, true),
        (#"{"price_usd": [{"anything-but": [210.75]}]}"#, false),
        (#"{"store": [{"exists": true}]}"#, true),
        (#"{"missing": [{"exists": true}]}"#, false),
        (#"{"missing": [{"exists": false}]}"#, true),
        (#"{"store": [{"exists": false}]}"#, false),
        (#"{"encrypted": [{"exists": true}]}"#, true),
        (#"{"missing": ["x", {"exists": false}]}"#, true),
        (#"{"missing": [{"anything-but": "x"}]}"#, false),
        (#"{"store": ["nope"], "$or": [{"event": ["order_placed"]}, {"price_usd": [1]}]}"#, false),
        (#"{"store": ["example_corp"], "$or": [{"event": ["nope"]}, {"price_usd": [{"numeric": [">", 200]}]}]}"#, true),
        (#"{"$or": [{"event": ["nope"]}, {"store": ["nope"]}]}"#, false),
        (#"{"store": ["example_corp", {"prefix": "zzz"}], "customer_interests": [{"prefix": "hock"}]}"#, true),
    ]

    @Test(arguments: attributeCases)
    func matchesMessageAttributes(_ policy: String, _ expected: Bool) throws {
        let parsed = try FilterPolicy(policy, scope: .messageAttributes)
        #expect(parsed.matches(attributes: exampleAttributes, body: "ignored") == expected)
    }

    static let bodyCases: [(String, Bool)] = [
        (#"{"store": ["example_corp"]}"#, true),
        (#"{"delivery": {"address": {"city": ["Seattle"]}}}"#, true),
        (#"{"delivery": {"address": {"city": ["Portland"]}}}"#, false),
        (#"{"delivery": {"express": [true]}}"#, true),
        (#"{"coupon": [null]}"#, true),
        (#"{"customer_interests": ["hockey"]}"#, true),
        (#"{"price_usd": [{"numeric": [">", 200, "<", 300]}]}"#, true),
        (#"{"delivery": {"address": {"zip": [{"prefix": "981"}]}}, "store": [{"suffix": "corp"}]}"#, true),
        (#"{"delivery": [{"exists": true}]}"#, false),
        (#"{"nothing": [{"exists": false}]}"#, true),
        (#"{"$or": [{"delivery": {"address": {"city": ["Portland"]}}}, {"event": ["order_placed"]}]}"#, true),
    ]

    @Test(arguments: bodyCases)
    func matchesMessageBody(_ policy: String, _ expected: Bool) throws {
        let parsed = try FilterPolicy(policy, scope: .messageBody)
        #expect(parsed.matches(attributes: [:], body: exampleBody) == expected)
    }

    @Test func aBodyThatIsNotJSONNeverMatchesABodyPolicy() throws {
        let policy = try FilterPolicy(#"{"a": [{"exists": false}]}"#, scope: .messageBody)
        #expect(!policy.matches(attributes: [:], body: "plain text"))
        #expect(policy.matches(attributes: [:], body: "{}"))
    }
}

@Suite struct FilterPolicyValidationTests {
    static let invalid: [(String, FilterPolicy.Scope, String)] = [
        ("not json", .messageAttributes, "failed to parse JSON"),
        ("[1]", .messageAttributes, "must be a JSON object"),
        (#"{"a": []}"#, .messageAttributes, "Empty arrays are not allowed"),
        (#"{"a": "x"}"#, .messageAttributes, "must be an object or an array"),
        (#"{"a": {"b": ["x"]}}"#, .messageAttributes, "does not support nested filter policy"),
        (#"{"a": [{"wildcard": "x"}]}"#, .messageAttributes, "Unrecognized match type wildcard"),
        (#"{"a": [{"prefix": 1}]}"#, .messageAttributes, "prefix match pattern must be a string"),
        (#"{"a": [{"exists": "yes"}]}"#, .messageAttributes, "exists match pattern must be either true or false."),
        (#"{"a": [{"numeric": [">", "x"]}]}"#, .messageAttributes, "must be numeric"),
        (#"{"a": [{"numeric": ["!", 1]}]}"#, .messageAttributes, "Unrecognized numeric range operator"),
        (#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#, .messageAttributes, "Bottom must be less than top"),
        (#"{"a": [{"numeric": [">", 1, ">", 2]}]}"#, .messageAttributes, "Too many elements"),
        (#"{"a": [2000000000]}"#, .messageAttributes, "between -1000000000 and 1000000000"),
        (#"{"a": [true]}"#, .messageAttributes, "Match value must be"),
        (#"{"a": [{"prefix": "x", "suffix": "y"}]}"#, .messageAttributes, "Only one key"),
        (#"{"$or": [{"a": ["x"]}]}"#, .messageAttributes, "$or must be an array of at least two objects"),
        (#"{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}"#, .messageAttributes, "more than 5 keys"),
        (#"{"a": [1,2,3,4,5,6], "b": [1,2,3,4,5], "c": [1,2,3,4,5,6]}"#, .messageAttributes, "too complex"),
        (#"{"a": [{"anything-but": []}]}"#, .messageAttributes, "Empty arrays are not allowed"),
        (#"{"a": [{"anything-but": [true]}]}"#, .messageAttributes, "anything but list"),
    ]

    @Test(arguments: invalid)
    func rejectsWithAWSsInvalidParameter(_ policy: String, _ scope: FilterPolicy.Scope, _ fragment: String) {
        do {
            _ = try FilterPolicy(policy, scope: scope)
            Issue.record("accepted \(policy)")
        } catch {
            #expect(error.code == "InvalidParameter")
            #expect(error.message.hasPrefix("Invalid parameter: FilterPolicy: "))
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func combinationsAddUpAcrossOrBranches() throws {
        // 5 × 30 = 150 is allowed; 151 is not.
        let thirty = (1...30).map(String.init).joined(separator: ",")
        _ = try FilterPolicy(#"{"a": [1,2,3,4,5], "b": [\#(thirty)]}"#, scope: .messageAttributes)
        #expect(throws: AWSError.self) { try FilterPolicy(#"{"a": [1,2,3,4,5], "b": [\#(thirty)], "c": [1, 2]}"#, scope: .messageAttributes) }
        let branches = try FilterPolicy(#"{"$or": [{"a": [1, 2]}, {"b": [1, 2, 3]}]}"#, scope: .messageAttributes)
        #expect(FilterPolicy.branches(branches.root).map(\.combinations).reduce(0, +) == 5)
    }

    @Test func nestedBodyKeysCountAsKeys() {
        #expect(throws: AWSError.self) {
            try FilterPolicy(#"{"a": {"b": ["1"], "c": ["1"], "d": ["1"]}, "e": ["1"], "f": {"g": ["1"], "h": ["1"]}}"#, scope: .messageBody)
        }
    }
}
