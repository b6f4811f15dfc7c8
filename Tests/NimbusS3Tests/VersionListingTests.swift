import NimbusCore
import Testing

@testable import NimbusS3

@Suite struct VersionListingTests {
    func record(_ key: String, _ version: String, marker: Bool = false) -> ObjectRecord {
        ObjectRecord(
            bucket: "b",
            key: key,
            blob: "",
            size: 1,
            eTag: "\"e\"",
            lastModified: 0,
            headers: ObjectHeaders(),
            versionID: version,
            deleteMarker: marker ? true : nil
        )
    }

    var all: [ObjectRecord] {
        [record("a", "a3", marker: true), record("a", "a2"), record("a", "a1"), record("b", "b1"), record("d/x", "x1"), record("d/y", "y1")]
    }

    @Test func newestOfEachKeyIsLatest() {
        let page = VersionListing.page(all, keyMarker: nil, versionIDMarker: nil, delimiter: nil, prefix: "", maxKeys: 1000)
        #expect(
            page.entries.map { "\($0.record.versionID!):\($0.isLatest)" } == ["a3:true", "a2:false", "a1:false", "b1:true", "x1:true", "y1:true"]
        )
        #expect(!page.isTruncated)
    }

    @Test func pagesResumeAfterTheVersionMarker() {
        let first = VersionListing.page(all, keyMarker: nil, versionIDMarker: nil, delimiter: nil, prefix: "", maxKeys: 2)
        #expect(first.isTruncated && first.nextKeyMarker == "a" && first.nextVersionIDMarker == "a2")
        let second = VersionListing.page(all, keyMarker: "a", versionIDMarker: "a2", delimiter: nil, prefix: "", maxKeys: 2)
        #expect(second.entries.map { $0.record.versionID! } == ["a1", "b1"])
        #expect(second.entries.map(\.isLatest) == [false, true])
        let afterKey = VersionListing.page(all, keyMarker: "a", versionIDMarker: nil, delimiter: nil, prefix: "", maxKeys: 10)
        #expect(afterKey.entries.map { $0.record.versionID! } == ["b1", "x1", "y1"])
    }

    @Test func delimiterRollsKeysIntoOnePrefix() {
        let page = VersionListing.page(all, keyMarker: nil, versionIDMarker: nil, delimiter: "/", prefix: "", maxKeys: 1000)
        #expect(page.commonPrefixes == ["d/"])
        #expect(page.entries.count == 4)
        let truncated = VersionListing.page(all, keyMarker: nil, versionIDMarker: nil, delimiter: "/", prefix: "", maxKeys: 4)
        #expect(truncated.isTruncated && truncated.commonPrefixes.isEmpty)
    }
}

@Suite struct TaggingRuleTests {
    @Test func headerFormIsDecoded() throws {
        #expect(
            try ObjectTagging.parseHeader("a=1&b=two%20words&c=") == [
                .init(key: "a", value: "1"), .init(key: "b", value: "two words"), .init(key: "c", value: ""),
            ]
        )
    }

    @Test func rulesAsS3() {
        func message(_ tags: [ObjectTag], limit: Int = ObjectTagging.objectLimit) -> String? {
            do {
                try ObjectTagging.validate(tags, limit: limit)
                return nil
            } catch {
                return error.code + ": " + error.message
            }
        }
        #expect(message((0..<10).map { ObjectTag(key: "k\($0)", value: "") }) == nil)
        #expect(message((0..<11).map { ObjectTag(key: "k\($0)", value: "") }) == "InvalidTag: Object tags cannot be greater than 10")
        #expect(message((0..<11).map { ObjectTag(key: "k\($0)", value: "") }, limit: ObjectTagging.bucketLimit) == nil)
        #expect(message([.init(key: "a", value: "1"), .init(key: "a", value: "2")]) == "InvalidTag: Cannot provide multiple Tags with the same key")
        #expect(message([.init(key: String(repeating: "k", count: 129), value: "")]) != nil)
        #expect(message([.init(key: "k", value: String(repeating: "v", count: 257))]) != nil)
        #expect(message([.init(key: "aws:thing", value: "v")]) == "InvalidTag: Your TagKey cannot be prefixed with aws:")
    }
}
