import Crypto
import NimbusS3
import Testing

@Suite struct ByteRangeTests {
    @Test func resolvesTheForms() {
        #expect(ByteRange.resolve("bytes=2-5", size: 10) == .range(ByteRange(start: 2, end: 5)))
        #expect(ByteRange.resolve("bytes=7-", size: 10) == .range(ByteRange(start: 7, end: 9)))
        #expect(ByteRange.resolve("bytes=-3", size: 10) == .range(ByteRange(start: 7, end: 9)))
        #expect(ByteRange.resolve("bytes=-30", size: 10) == .range(ByteRange(start: 0, end: 9)))
        #expect(ByteRange.resolve("bytes=5-100", size: 10) == .range(ByteRange(start: 5, end: 9)))
    }

    @Test func unsatisfiableAndIgnored() {
        #expect(ByteRange.resolve("bytes=10-", size: 10) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=-0", size: 10) == .unsatisfiable)
        #expect(ByteRange.resolve(nil, size: 10) == .whole)
        #expect(ByteRange.resolve("bytes=5-2", size: 10) == .whole)
        #expect(ByteRange.resolve("bytes=0-1,3-4", size: 10) == .whole)
        #expect(ByteRange.resolve("items=0-1", size: 10) == .whole)
    }

    @Test func contentRange() {
        #expect(ByteRange(start: 2, end: 5).contentRange(size: 10) == "bytes 2-5/10")
    }
}

@Suite struct PreconditionTests {
    let eTag = "\"abc\""
    let modified = 1_000.5

    @Test func ifMatchAndIfUnmodifiedSince() {
        #expect(Preconditions(ifMatch: "\"abc\"").evaluate(eTag: eTag, lastModified: modified) == .proceed)
        #expect(Preconditions(ifMatch: "*").evaluate(eTag: eTag, lastModified: modified) == .proceed)
        #expect(Preconditions(ifMatch: "\"x\", \"y\"").evaluate(eTag: eTag, lastModified: modified) == .preconditionFailed)
        #expect(Preconditions(ifUnmodifiedSince: 999).evaluate(eTag: eTag, lastModified: modified) == .preconditionFailed)
        // If-Match true wins over If-Unmodified-Since false, as S3 documents.
        #expect(Preconditions(ifMatch: "abc", ifUnmodifiedSince: 999).evaluate(eTag: eTag, lastModified: modified) == .proceed)
    }

    @Test func ifNoneMatchAndIfModifiedSince() {
        #expect(Preconditions(ifNoneMatch: "\"abc\"").evaluate(eTag: eTag, lastModified: modified) == .notModified)
        #expect(Preconditions(ifNoneMatch: "\"zzz\"").evaluate(eTag: eTag, lastModified: modified) == .proceed)
        #expect(Preconditions(ifModifiedSince: 1_000).evaluate(eTag: eTag, lastModified: modified) == .notModified)
        #expect(Preconditions(ifModifiedSince: 999).evaluate(eTag: eTag, lastModified: modified) == .proceed)
        // If-None-Match false with If-Modified-Since true → 200.
        #expect(Preconditions(ifNoneMatch: "\"zzz\"", ifModifiedSince: 2_000).evaluate(eTag: eTag, lastModified: modified) == .proceed)
    }
}

@Suite struct ETagTests {
    @Test func multipartIsMD5OfPartMD5s() {
        let parts: [[UInt8]] = [Array(repeating: 1, count: 100), Array(repeating: 2, count: 7)]
        let digests = parts.map { Insecure.MD5.hash(data: $0) }
        var combined = Insecure.MD5()
        for digest in digests { combined.update(data: Array(digest)) }
        let expected =
            "\""
            + Array(combined.finalize()).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined() + "-2\""
        #expect(ETag.multipart(digests.map(ETag.quoted)) == expected)
        #expect(ETag.multipart(["\"not-hex\""]) == nil)
    }

    @Test func singlePartIsQuotedHexMD5() {
        #expect(ETag.quoted(Insecure.MD5.hash(data: Array("hello world".utf8))) == "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"")
    }
}
