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

    /// Keys ascending, each key's versions newest first, with their sequence numbers.
    var all: [VersionListing.Row] {
        [
            .init(record: record("a", "a3", marker: true), seq: 3), .init(record: record("a", "a2"), seq: 2),
            .init(record: record("a", "a1"), seq: 1), .init(record: record("b", "b1"), seq: 1),
            .init(record: record("d/x", "x1"), seq: 1), .init(record: record("d/y", "y1"), seq: 1),
        ]
    }

    /// Pages `all` as the store does.
    func list(from start: VersionListing.Position = .init(key: ""), delimiter: String? = nil, maxKeys: Int) async throws -> VersionListing {
        let rows = all
        return try await VersionListing.page(prefix: "", delimiter: delimiter, from: start, maxKeys: maxKeys) { after, limit in
            Array(
                rows.filter { row in
                    row.record.key > after.key || (row.record.key == after.key && after.olderThan.map { row.seq < $0 } == true)
                }.prefix(limit)
            )
        }
    }

    @Test func newestOfEachKeyIsLatest() async throws {
        let page = try await list(maxKeys: 1000)
        #expect(
            page.entries.map { "\($0.record.versionID!):\($0.isLatest)" } == ["a3:true", "a2:false", "a1:false", "b1:true", "x1:true", "y1:true"]
        )
        #expect(!page.isTruncated)
    }

    @Test func pagesResumeAfterTheVersionMarker() async throws {
        let first = try await list(maxKeys: 2)
        #expect(first.isTruncated && first.nextKeyMarker == "a" && first.nextVersionIDMarker == "a2")
        let second = try await list(from: .init(key: "a", olderThan: 2), maxKeys: 2)
        #expect(second.entries.map { $0.record.versionID! } == ["a1", "b1"])
        #expect(second.entries.map(\.isLatest) == [false, true])
        let afterKey = try await list(from: .init(key: "a"), maxKeys: 10)
        #expect(afterKey.entries.map { $0.record.versionID! } == ["b1", "x1", "y1"])
        #expect(afterKey.entries.map(\.isLatest) == [true, true, true])
    }

    @Test func prefixEndIsTheFirstStringAfterThePrefix() {
        #expect(S3Store.prefixEnd("") == nil)
        #expect(S3Store.prefixEnd("logs/") == "logs0")
        #expect(S3Store.prefixEnd("a\u{D7FF}") == "a\u{E000}")
        #expect(S3Store.prefixEnd("é") == "ê")
        #expect(S3Store.prefixEnd("x\u{10FFFF}") == nil)
        for key in ["logs/", "logs/a", "logs/\u{10FFFE}z"] { #expect(Array(key.utf8).lexicographicallyPrecedes(Array("logs0".utf8))) }
    }

    @Test func delimiterRollsKeysIntoOnePrefix() async throws {
        let page = try await list(delimiter: "/", maxKeys: 1000)
        #expect(page.commonPrefixes == ["d/"])
        #expect(page.entries.count == 4)
        let truncated = try await list(delimiter: "/", maxKeys: 4)
        #expect(truncated.isTruncated && truncated.commonPrefixes.isEmpty)
        // Resuming at a prefix returned before skips it.
        let after = try await list(from: .init(key: "d/"), delimiter: "/", maxKeys: 10)
        #expect(after.commonPrefixes.isEmpty && after.entries.isEmpty && !after.isTruncated)
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

/// ListObjectVersions paged from the store.
@Suite struct VersionPagingTests {
    @Test func smallPagesReturnEveryVersionOnce() async throws {
        try await withS3 { h in
            let s3 = h.service
            _ = try await s3.createBucket(S3Shapes.CreateBucketRequest(bucket: "pages"), context: s3Context())
            try await s3.putBucketVersioning(
                S3Shapes.PutBucketVersioningRequest(bucket: "pages", versioningConfiguration: S3Shapes.VersioningConfiguration(status: "Enabled")),
                context: s3Context()
            )
            var expected: [String] = []
            for index in 0..<25 {
                let key = "k\(index % 7)"
                if index % 5 == 4 {
                    let marker = try await s3.deleteObject(S3Shapes.DeleteObjectRequest(bucket: "pages", key: key), context: s3Context())
                    expected.append("\(key)/\(marker.versionId!)")
                } else {
                    let put = try await s3.putObject(S3Shapes.PutObjectRequest(bucket: "pages", key: key), context: s3Context([UInt8(index)]))
                    expected.append("\(key)/\(put.versionId!)")
                }
            }
            var seen: [String] = []
            var latest = 0
            var keyMarker: String?
            var versionMarker: String?
            var pages = 0
            while true {
                let page = try await s3.listObjectVersions(
                    S3Shapes.ListObjectVersionsRequest(bucket: "pages", keyMarker: keyMarker, maxKeys: 4, versionIdMarker: versionMarker),
                    context: s3Context()
                )
                pages += 1
                let versions = (page.versions ?? []).map { ($0.key!, $0.versionId!, $0.isLatest!) }
                let markers = (page.deleteMarkers ?? []).map { ($0.key!, $0.versionId!, $0.isLatest!) }
                #expect(versions.count + markers.count <= 4)
                seen += (versions + markers).map { "\($0.0)/\($0.1)" }
                latest += (versions + markers).filter(\.2).count
                guard page.isTruncated == true else { break }
                keyMarker = page.nextKeyMarker
                versionMarker = page.nextVersionIdMarker
            }
            #expect(seen.sorted() == expected.sorted())
            #expect(Set(seen).count == 25)
            #expect(latest == 7)
            #expect(pages == 7)
        }
    }
}
