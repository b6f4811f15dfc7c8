import Foundation
import NimbusCore

/// Where a deployment package comes from: the request's `ZipFile`, or an object in S3
/// (`S3Bucket`, `S3Key`, `S3ObjectVersion`) read through the server's `ObjectReader`.
extension LambdaService {
    /// The largest package Lambda takes from S3: 250 MB unzipped is AWS's limit, so no zip is larger.
    static let maximumS3PackageSize = 250 * 1024 * 1024

    /// The package's bytes.
    /// - Throws: `InvalidParameterValueException` when neither source is given, or, as AWS words it,
    ///   "Error occurred while GetObject. S3 Error Code: … S3 Error Message: …" when the object cannot be read.
    func codeBytes(zipFile: Data?, s3Bucket: String?, s3Key: String?, s3ObjectVersion: String?, zipFileName: String) async throws -> [UInt8] {
        if let zipFile { return [UInt8](zipFile) }
        guard let s3Bucket, let s3Key else {
            throw AWSError.invalidParameter(
                s3Bucket != nil || s3Key != nil ? "Please provide a source for function code: both S3Bucket and S3Key." : "\(zipFileName) is required"
            )
        }
        guard let objects else { throw AWSError.invalidParameter("Code from S3 needs the S3 service, which this server does not run") }
        do {
            return try await objects.objectBytes(bucket: s3Bucket, key: s3Key, versionID: s3ObjectVersion, limit: Self.maximumS3PackageSize)
        } catch let error as AWSError {
            throw AWSError.invalidParameter("Error occurred while GetObject. S3 Error Code: \(error.code). S3 Error Message: \(error.message)")
        }
    }
}
