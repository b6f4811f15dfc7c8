import NimbusEventPatterns
import NimbusWire
import Testing

/// The record of AWS's Lambda event-filtering examples, with the body already parsed.
let exampleRecord = #"""
    {"messageId": "m-1", "attributes": {"ApproximateReceiveCount": "1"},
     "body": {"RecordNumber": 1234, "RequestCode": "AAAA", "Location": "Eastern Washington", "Weather": null,
              "Tags": ["red", "blue"], "Details": {"Express": true, "Weight": 12.5}, "Note": ""}}
    """#

func document(_ text: String) throws -> JSONDocument {
    guard case .object(let members) = try JSONParser.parse(Array(text.utf8)) else { throw EventPatternError("not an object") }
    return JSONDocument(members: members)
}

@Suite struct EventPatternMatchingTests {
    /// (pattern, matches the example record): the comparison operators of
    /// https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax
    static let cases: [(String, Bool)] = [
        (#"{"body": {"RequestCode": ["AAAA"]}}"#, true),
        (#"{"body": {"RequestCode": ["BBBB"]}}"#, false),
        (#"{"body": {"Weather": [null]}}"#, true),
        (#"{"body": {"Note": [""]}}"#, true),
        (#"{"body": {"Location": [{"exists": true}]}}"#, true),
        (#"{"body": {"Missing": [{"exists": false}]}}"#, true),
        (#"{"body": {"Location": [{"exists": false}]}}"#, false),
        (#"{"body": {"Location": [{"prefix": "Eastern"}]}}"#, true),
        (#"{"body": {"Location": [{"suffix": "Oregon"}]}}"#, false),
        (#"{"body": {"Location": [{"equals-ignore-case": "eastern WASHINGTON"}]}}"#, true),
        (#"{"body": {"RequestCode": [{"anything-but": ["BBBB", "CCCC"]}]}}"#, true),
        (#"{"body": {"RequestCode": [{"anything-but": {"prefix": "AA"}}]}}"#, false),
        (#"{"body": {"RecordNumber": [{"numeric": [">", 1000, "<=", 1234]}]}}"#, true),
        (#"{"body": {"RecordNumber": [{"numeric": ["<", 1000]}]}}"#, false),
        (#"{"body": {"Tags": ["blue"]}}"#, true),
        (#"{"body": {"Details": {"Express": [true], "Weight": [{"numeric": [">=", 12.5]}]}}}"#, true),
        (#"{"body": {"Details": {"Express": [false]}}}"#, false),
        (#"{"body": {"RequestCode": ["BBBB"], "$or": [{"Tags": ["red"]}, {"Note": ["x"]}]}}"#, false),
        (#"{"body": {"$or": [{"RequestCode": ["BBBB"]}, {"Tags": ["red"]}]}}"#, true),
        (#"{"attributes": {"ApproximateReceiveCount": ["1"]}, "body": {"RecordNumber": [1234]}}"#, true),
    ]

    @Test(arguments: cases)
    func matchesAsAWSDocuments(_ pattern: String, _ expected: Bool) throws {
        #expect(try EventPattern(pattern).matches(try document(exampleRecord)) == expected)
    }

    @Test func aPlainTextValueIsNotAnObject() throws {
        let record = try document(#"{"body": "hello world"}"#)
        #expect(try EventPattern(#"{"body": [{"prefix": "hello"}]}"#).matches(record))
        #expect(try !EventPattern(#"{"body": {"hello": [{"exists": true}]}}"#).matches(record))
    }
}

@Suite struct EventPatternRulesTests {
    static let invalid: [(String, String)] = [
        ("not json", "failed to parse JSON"),
        ("[1]", "must be a JSON object"),
        (#"{"a": []}"#, "Empty arrays are not allowed"),
        (#"{"a": "x"}"#, "must be an object or an array"),
        (#"{"a": [{"wildcard": "x"}]}"#, "Unrecognized match type wildcard"),
        (#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#, "Bottom must be less than top"),
        (#"{"$or": [{"a": ["x"]}]}"#, "$or must be an array of at least two objects"),
    ]

    @Test(arguments: invalid)
    func refusesBrokenPatterns(_ pattern: String, _ fragment: String) {
        do {
            _ = try EventPattern(pattern)
            Issue.record("accepted \(pattern)")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func rulesNarrowTheSyntax() {
        let flat = EventPattern.Rules(nestingRefusal: "no nesting", allowsBooleansAndNull: false, numberLimit: 10)
        #expect(throws: EventPatternError("no nesting")) { try EventPattern(#"{"a": {"b": ["x"]}}"#, rules: flat) }
        #expect(throws: EventPatternError.self) { try EventPattern(#"{"a": [true]}"#, rules: flat) }
        #expect(throws: EventPatternError.self) { try EventPattern(#"{"a": [11]}"#, rules: flat) }
        #expect(throws: Never.self) { try EventPattern(#"{"a": {"b": [true, 11]}}"#) }
    }
}
