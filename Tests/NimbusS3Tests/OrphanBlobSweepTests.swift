import Foundation
import NimbusCore
import NimbusStore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusS3

/// The startup sweep removes the blobs no row names and keeps every one a row names.
@Suite struct OrphanBlobSweepTests {
    /// Every regular file under the blob folder.
    func files(_ root: String) -> Set<String> {
        var found = Set<String>()
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder), !isFolder.boolValue { found.insert(path) }
        }
        return found
    }

    @Test func orphansGoReferencedBlobsStay() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/db.sqlite")
            let root = directory.path + "/blobs"
            let blobs = try FileBlobStore(root: root)
            let large = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
            var s3 = try await S3Service(store: store, blobs: blobs, dispatcher: RecordingDispatcher())
            _ = try await s3.createBucket(S3Shapes.CreateBucketRequest(bucket: "sweep"), context: s3Context())
            try await s3.putBucketVersioning(
                S3Shapes.PutBucketVersioningRequest(bucket: "sweep", versioningConfiguration: S3Shapes.VersioningConfiguration(status: "Enabled")),
                context: s3Context()
            )
            // A noncurrent blob version, a current blob, an inline object and a part of an open upload.
            let old = try await s3.putObject(S3Shapes.PutObjectRequest(bucket: "sweep", key: "big"), context: s3Context(large))
            _ = try await s3.putObject(S3Shapes.PutObjectRequest(bucket: "sweep", key: "big"), context: s3Context(large.reversed()))
            _ = try await s3.putObject(S3Shapes.PutObjectRequest(bucket: "sweep", key: "small"), context: s3Context([1, 2, 3]))
            let upload = try await s3.createMultipartUpload(
                S3Shapes.CreateMultipartUploadRequest(bucket: "sweep", key: "multi"),
                context: s3Context()
            )
            _ = try await s3.uploadPart(
                S3Shapes.UploadPartRequest(bucket: "sweep", key: "multi", partNumber: 1, uploadId: upload.uploadId!),
                context: s3Context([9, 9, 9])
            )
            let referenced = files(root)
            #expect(referenced.count == 3)

            // What a crash leaves: a committed blob whose row never came, and a half-written blob.
            try await blobs.put("s3/orphan", [UInt8](repeating: 7, count: 1000))
            let writer = try await blobs.makeWriter("s3/unfinished")
            try await writer.write([1, 2])
            // Another owner's blob is not S3's to remove.
            try await blobs.put("lambda/code/abc", [4, 5])
            #expect(files(root).count == 6)

            s3 = try await S3Service(store: store, blobs: blobs, dispatcher: RecordingDispatcher())
            let left = files(root)
            #expect(left.isSuperset(of: referenced))
            #expect(left.count == 4)
            #expect(try await blobs.get("s3/orphan") == nil)
            #expect(try await blobs.get("lambda/code/abc") == [4, 5])
            // Every object still reads back whole.
            let big = try await s3.getObject(S3Shapes.GetObjectRequest(bucket: "sweep", key: "big", versionId: old.versionId), context: s3Context())
            #expect(big.output.contentLength == Int64(large.count))
            let parts = try await s3.listParts(
                S3Shapes.ListPartsRequest(bucket: "sweep", key: "multi", uploadId: upload.uploadId!),
                context: s3Context()
            )
            #expect(parts.parts?.count == 1)
            _ = writer
            try await store.close()
        }
    }
}
