import Testing

@testable import NimbusWire

@Suite struct JSONParserTests {
    @Test func parsesNestedDocuments() throws {
        let value = try JSONParser.parse(Array(#"{"a":[1,2.5,-3e2,true,null],"b":{"c":"\u00e9\ud83d\ude00\n"}}"#.utf8))
        #expect(
            value
                == .object(["a": .array([.number("1"), .number("2.5"), .number("-3e2"), .bool(true), .null]), "b": .object(["c": .string("é😀\n")])])
        )
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\u{01}\"", "{\"a\" 1}", "tru", "[1] 2", "\"\\ud800\"", "{\"a\":\"\\x\"}",
    ])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: WireError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: WireError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 10_000)
        #expect(throws: WireError.self) { try JSONParser.parse(deep) }
    }

    @Test func readsAnObjectMemberByMember() throws {
        var read: [String] = []
        var nested: [String] = []
        try JSONParser.readObject(Array(#" {"a":1, "b":{"c":"\u00e9","d":[true]},"a":"x"} "#.utf8)) { name, parser throws(WireError) in
            if name == "b" {
                try parser.readMembers { inner, parser throws(WireError) in nested.append("\(inner)=\(try parser.value())") }
            } else {
                read.append("\(name)=\(try parser.value())")
            }
        }
        #expect(read == ["a=\(JSONValue.number("1"))", "a=\(JSONValue.string("x"))"])
        #expect(nested == ["c=\(JSONValue.string("é"))", "d=\(JSONValue.array([.bool(true)]))"])
    }

    @Test(arguments: ["[1]", "{\"a\":1} x", "{\"a\":}", "{\"a\":1"])
    func readingRejectsWhatIsNotOneObject(_ text: String) {
        #expect(throws: WireError.self) {
            try JSONParser.readObject(Array(text.utf8)) { _, parser throws(WireError) in _ = try parser.value() }
        }
    }

    @Test func writerRoundTrips() throws {
        let value: JSONValue = .object(["quote": .string("a\"b\\c\u{1}"), "list": .array([.number("1"), .bool(false), .null])])
        #expect(try JSONParser.parse(JSONWriter.encode(value)) == value)
    }
}

@Suite struct XMLTests {
    @Test func parsesElementsAttributesEntitiesAndCDATA() throws {
        let root = try XMLDocumentParser.parse(
            Array(
                #"<?xml version="1.0"?><Tagging xmlns="ns"><TagSet><Tag k='1'><Key>a&amp;b&#65;</Key><Value><![CDATA[<x>]]></Value></Tag></TagSet></Tagging>"#
                    .utf8
            )
        )
        let tag = try #require(root.child(named: "TagSet")?.child(named: "Tag"))
        #expect(root.name == "Tagging")
        #expect(tag.attributes["k"] == "1")
        #expect(tag.child(named: "Key")?.text == "a&bA")
        #expect(tag.child(named: "Value")?.text == "<x>")
    }

    @Test(arguments: [
        "<a>", "<a></b>", "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>", "<a>&unknown;</a>", "<a><b></a>", "text", "<a/><b/>",
    ])
    func rejectsMalformedOrDangerousXML(_ text: String) {
        #expect(throws: WireError.self) { try XMLDocumentParser.parse(Array(text.utf8)) }
    }

    @Test func writerEscapes() {
        let element = XMLElement(name: "Message", attributes: ["a": "\"q\""], text: "1 < 2 & 3")
        #expect(String(decoding: XMLWriter.document(element), as: UTF8.self).hasSuffix(#"<Message a="&quot;q&quot;">1 &lt; 2 &amp; 3</Message>"#))
    }
}

@Suite struct TimestampTests {
    @Test func iso8601RoundTrips() {
        #expect(Timestamp.parseISO8601("2026-01-02T03:04:05Z") == 1_767_323_045)
        #expect(Timestamp.parseISO8601("2026-01-02T04:04:05.5+01:00") == 1_767_323_045.5)
        #expect(Timestamp.iso8601(1_767_323_045) == "2026-01-02T03:04:05Z")
        #expect(Timestamp.iso8601(1_767_323_045.25) == "2026-01-02T03:04:05.250Z")
        #expect(Timestamp.parseISO8601("2026-13-02T03:04:05Z") == nil)
    }

    @Test func httpAndAmzDates() {
        #expect(Timestamp.httpDate(1_767_323_045) == "Fri, 02 Jan 2026 03:04:05 GMT")
        #expect(Timestamp.parseHTTPDate("Fri, 02 Jan 2026 03:04:05 GMT") == 1_767_323_045)
        #expect(Timestamp.amzDate(1_767_323_045) == "20260102T030405Z")
        #expect(Timestamp.parseAmzDate("20260102T030405Z") == 1_767_323_045)
        #expect(Timestamp.parseAmzDate("2026-01-02") == nil)
    }
}

@Suite struct ChecksumTests {
    // Check values from the CRC catalogue for the input "123456789".
    @Test func crcCheckValues() {
        let input = Array("123456789".utf8)
        #expect(CRC.crc32(input) == 0xCBF4_3926)
        #expect(CRC.crc32c(input) == 0xE306_9283)
        #expect(CRC.crc64nvme(input) == 0xAE8B_1486_0A79_9888)
    }

    @Test func headerNames() {
        #expect(ChecksumAlgorithm(headerName: "X-Amz-Checksum-CRC32") == .crc32)
        #expect(ChecksumAlgorithm(headerName: "x-amz-checksum-sha256") == .sha256)
        #expect(ChecksumAlgorithm(headerName: "x-amz-checksum-md5") == nil)
    }
}
