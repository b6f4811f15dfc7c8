import NimbusS3
import Testing

@Suite struct BucketNameTests {
    @Test(arguments: ["abc", "my-bucket", "my.bucket.name", "a1b2c3", String(repeating: "a", count: 63)])
    func acceptsValidNames(_ name: String) {
        #expect(BucketName.isValid(name))
    }

    @Test(arguments: [
        "ab", String(repeating: "a", count: 64), "MyBucket", "-bucket", "bucket-", "my..bucket", "my_bucket", "192.168.5.4",
        "xn--bucket", "sthree-bucket", "bucket-s3alias", "bucket--ol-s3", ".bucket", "bucket.",
    ])
    func rejectsInvalidNames(_ name: String) {
        #expect(!BucketName.isValid(name))
    }
}
