import Foundation
import NimbusWire
import Testing

@testable import NimbusS3

/// Records are written with `JSONEncoder` and read member by member (`ObjectRecord.stored`):
/// every stored property must come back.
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

    @Test func everyPropertyRoundTrips() throws {
        let text = try S3Store.encode(record)
        #expect(ObjectRecord.stored(text) == record)
        #expect(ObjectHeaders.stored(try S3Store.encode(record.headers)) == record.headers)
    }

    /// A property added to the record without being read back fails here: the sample sets every
    /// property, so the stored JSON has one member per property.
    @Test func theSampleSetsEveryProperty() throws {
        let members = try #require(try JSONParser.parse(Array(S3Store.encode(record).utf8)).objectValue)
        #expect(members.count == Mirror(reflecting: record).children.count)
        let headerMembers = try #require(try JSONParser.parse(Array(S3Store.encode(record.headers).utf8)).objectValue)
        #expect(headerMembers.count == Mirror(reflecting: record.headers).children.count)
    }

    @Test func somethingElseIsNoRecord() {
        #expect(ObjectRecord.stored(nil) == nil)
        #expect(ObjectRecord.stored("{}") == nil)
        #expect(ObjectRecord.stored("not json") == nil)
    }
}
