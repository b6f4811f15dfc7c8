import Foundation
import NimbusWire
import Testing

@testable import NimbusS3

/// Records are written and read member by member (`storedJSON`, `ObjectRecord.stored`): every
/// stored property must come back, and records that earlier versions wrote with `JSONEncoder`
/// must still read.
@Suite struct StoredRecordTests {
    private let record = ObjectRecord(
        bucket: "b",
        key: "dir/ké y+\"quoted\"/\\",
        blob: "inline:abc",
        size: 4096,
        eTag: "\"620f0b67a91f7f74151bc5be745b7110-2\"",
        lastModified: 1_795_464_635.123,
        headers: ObjectHeaders(
            contentType: "text/plain",
            contentEncoding: "gzip",
            contentDisposition: "attachment",
            contentLanguage: "en",
            cacheControl: "no-cache",
            expires: "Wed, 21 Oct 2026 07:28:00 GMT",
            metadata: ["colour": "blue", "x": ""],
            tags: [ObjectTag(key: "pending", value: "1")]
        ),
        checksums: ["crc32": "AAAAAA=="],
        partsCount: 2,
        versionID: "null",
        deleteMarker: false,
        tags: [ObjectTag(key: "a", value: "1"), ObjectTag(key: "b", value: "")]
    )

    @Test func everyPropertyRoundTrips() {
        #expect(ObjectRecord.stored(record.storedJSON) == record)
        #expect(ObjectHeaders.stored(record.headers.storedJSON) == record.headers)
    }

    /// Written member by member in ascending key order: the same text as the whole tree written
    /// at once (which sorts its keys), so equal records keep giving equal text.
    @Test func theTextIsTheCanonicalOne() throws {
        for text in [
            record.storedJSON, record.headers.storedJSON,
            ObjectRecord(bucket: "b", key: "k", blob: "x", size: 0, eTag: "e", lastModified: 1, headers: ObjectHeaders()).storedJSON,
        ] {
            let tree = try JSONParser.parse(Array(text.utf8))
            #expect(String(decoding: JSONWriter.encode(tree), as: UTF8.self) == text)
        }
    }

    /// A record as the `Codable` encoding of earlier versions stored it.
    @Test func recordsOfEarlierVersionsStillRead() throws {
        let text =
            #"{"bucket":"b","key":"k\/x","blob":"blobs\/1","size":3,"eTag":"\"e\"","lastModified":1795464635.5,"#
            + #""headers":{"contentType":"text\/plain","metadata":{"a":"1"}},"checksums":{},"tags":[{"key":"t","value":"v"}]}"#
        let read = try #require(ObjectRecord.stored(text))
        #expect(read.key == "k/x" && read.blob == "blobs/1" && read.size == 3 && read.eTag == "\"e\"")
        #expect(read.lastModified == 1_795_464_635.5 && read.headers.contentType == "text/plain" && read.headers.metadata == ["a": "1"])
        #expect(read.tags == [ObjectTag(key: "t", value: "v")] && read.versionID == nil && read.deleteMarker == nil)
    }

    /// A property added to the record without being read back fails here: the sample sets every
    /// property, so the stored JSON has one member per property.
    @Test func theSampleSetsEveryProperty() throws {
        let members = try #require(try JSONParser.parse(Array(record.storedJSON.utf8)).objectValue)
        #expect(members.count == Mirror(reflecting: record).children.count)
        let headerMembers = try #require(try JSONParser.parse(Array(record.headers.storedJSON.utf8)).objectValue)
        #expect(headerMembers.count == Mirror(reflecting: record.headers).children.count)
    }

    @Test func somethingElseIsNoRecord() {
        #expect(ObjectRecord.stored(nil) == nil)
        #expect(ObjectRecord.stored("{}") == nil)
        #expect(ObjectRecord.stored("not json") == nil)
    }
}
