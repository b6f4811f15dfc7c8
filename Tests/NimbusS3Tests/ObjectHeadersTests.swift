import Testing

@testable import NimbusS3

/// The stored headers PutObject, CopyObject (REPLACE) and CreateMultipartUpload build alike.
@Suite struct ObjectHeadersTests {
    @Test func everyRequestKindGivesTheSameHeaders() {
        var put = S3Shapes.PutObjectRequest(bucket: "b", key: "k")
        put.contentType = "text/plain"
        put.cacheControl = "no-cache"
        put.metadata = ["a": "1"]
        var copy = S3Shapes.CopyObjectRequest(bucket: "b", copySource: "b/s", key: "k")
        copy.contentType = "text/plain"
        copy.cacheControl = "no-cache"
        copy.metadata = ["a": "1"]
        var upload = S3Shapes.CreateMultipartUploadRequest(bucket: "b", key: "k")
        upload.contentType = "text/plain"
        upload.cacheControl = "no-cache"
        upload.metadata = ["a": "1"]
        let expected = ObjectHeaders(contentType: "text/plain", cacheControl: "no-cache", metadata: ["a": "1"])
        #expect(ObjectHeaders(request: put) == expected)
        #expect(ObjectHeaders(request: copy) == expected)
        let tags = [ObjectTag(key: "t", value: "v")]
        #expect(
            ObjectHeaders(request: upload, tags: tags)
                == ObjectHeaders(contentType: "text/plain", cacheControl: "no-cache", metadata: ["a": "1"], tags: tags)
        )
    }

    @Test func contentTypeDefaultsAsS3() {
        let headers = ObjectHeaders(request: S3Shapes.PutObjectRequest(bucket: "b", key: "k"))
        #expect(headers.contentType == "binary/octet-stream" && headers.metadata.isEmpty && headers.tags == nil)
    }
}
