import NimbusS3
import Testing

@Suite struct ObjectListingTests {
    let keys = ["a/1", "a/2", "b/x/1", "c", "d", "e/1"].sorted()

    func page(prefix: String = "", delimiter: String? = nil, after: String = "", maxKeys: Int = 1000) async throws -> ObjectListing<String> {
        let keys = keys
        return try await ObjectListing.page(
            prefix: prefix,
            delimiter: delimiter,
            after: after,
            maxKeys: maxKeys,
            key: { $0 },
            fetch: { after, limit in Array(keys.filter { $0 > after && $0.hasPrefix(prefix) }.prefix(limit)) }
        )
    }

    @Test func listsEverythingWithoutDelimiter() async throws {
        let listing = try await page()
        #expect(listing.entries == keys)
        #expect(listing.commonPrefixes.isEmpty)
        #expect(!listing.isTruncated)
    }

    @Test func rollsUpCommonPrefixes() async throws {
        let listing = try await page(delimiter: "/")
        #expect(listing.entries == ["c", "d"])
        #expect(listing.commonPrefixes == ["a/", "b/", "e/"])
        let nested = try await page(prefix: "b/", delimiter: "/")
        #expect(nested.entries.isEmpty)
        #expect(nested.commonPrefixes == ["b/x/"])
    }

    @Test func pagesCountKeysAndPrefixesTogether() async throws {
        let first = try await page(delimiter: "/", maxKeys: 2)
        #expect(first.commonPrefixes == ["a/", "b/"])
        #expect(first.isTruncated)
        #expect(first.nextMarker == "b/")
        let second = try await page(delimiter: "/", after: "b/", maxKeys: 2)
        #expect(second.entries == ["c", "d"])
        #expect(second.isTruncated)
        let third = try await page(delimiter: "/", after: "d", maxKeys: 2)
        #expect(third.commonPrefixes == ["e/"])
        #expect(!third.isTruncated)
    }

    @Test func continuesAfterAKey() async throws {
        let listing = try await page(after: "b/x/1", maxKeys: 2)
        #expect(listing.entries == ["c", "d"])
        #expect(listing.isTruncated)
        #expect(try await page(maxKeys: 0).entries.isEmpty)
    }
}
