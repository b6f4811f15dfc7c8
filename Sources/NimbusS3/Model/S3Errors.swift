import NimbusCore
import NimbusWire

/// S3's error codes, with the HTTP status and message AWS gives each
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
enum S3Errors {
    static func noSuchBucket(_ bucket: String) -> AWSError {
        AWSError(code: "NoSuchBucket", status: 404, message: "The specified bucket does not exist", details: ["BucketName": bucket])
    }

    static func noSuchKey(_ key: String) -> AWSError {
        AWSError(code: "NoSuchKey", status: 404, message: "The specified key does not exist.", details: ["Key": key])
    }

    static func noSuchUpload(_ uploadID: String) -> AWSError {
        AWSError(
            code: "NoSuchUpload",
            status: 404,
            message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
            details: ["UploadId": uploadID]
        )
    }

    static func invalidBucketName(_ bucket: String) -> AWSError {
        AWSError(code: "InvalidBucketName", message: "The specified bucket is not valid.", details: ["BucketName": bucket])
    }

    static func bucketNotEmpty(_ bucket: String) -> AWSError {
        AWSError(
            code: "BucketNotEmpty",
            status: 409,
            message: "The bucket you tried to delete is not empty",
            details: ["BucketName": bucket]
        )
    }

    static let preconditionFailed = AWSError(
        code: "PreconditionFailed",
        status: 412,
        message: "At least one of the pre-conditions you specified did not hold",
        details: ["Condition": "If-Match"]
    )

    static let notModified = AWSError(code: "NotModified", status: 304, message: "Not Modified")

    static func keyTooLong(_ key: String) -> AWSError {
        AWSError(code: "KeyTooLongError", message: "Your key is too long", details: ["Size": "\(key.utf8.count)", "MaxSizeAllowed": "1024"])
    }

    static func entityTooLarge(_ size: Int, limit: Int) -> AWSError {
        AWSError(
            code: "EntityTooLarge",
            message: "Your proposed upload exceeds the maximum allowed size",
            details: ["ProposedSize": "\(size)", "MaxSizeAllowed": "\(limit)"]
        )
    }

    static func invalidRange(size: Int, range: String) -> AWSError {
        AWSError(
            code: "InvalidRange",
            status: 416,
            message: "The requested range is not satisfiable",
            details: ["RangeRequested": range, "ActualObjectSize": "\(size)"]
        )
    }

    static func invalidArgument(_ message: String, name: String, value: String) -> AWSError {
        AWSError(code: "InvalidArgument", message: message, details: ["ArgumentName": name, "ArgumentValue": value])
    }

    static func noSuchVersion(_ key: String, _ versionID: String) -> AWSError {
        AWSError(
            code: "NoSuchVersion",
            status: 404,
            message: "The specified version does not exist.",
            details: ["Key": key, "VersionId": versionID]
        )
    }

    static let methodNotAllowed = AWSError(
        code: "MethodNotAllowed",
        status: 405,
        message: "The specified method is not allowed against this resource."
    )

    /// GetObject or HeadObject without a version id of a key whose current version is the
    /// delete marker `marker`: 404 `NoSuchKey` with `x-amz-delete-marker: true` and the
    /// marker's `x-amz-version-id`.
    static func noSuchKey(_ key: String, deleteMarker marker: ObjectRecord) -> AWSError {
        var error = noSuchKey(key)
        error.headers = ["x-amz-delete-marker": "true", "x-amz-version-id": marker.versionID ?? "null"]
        return error
    }

    /// A request naming the delete marker `marker` by its version id: 405 `MethodNotAllowed`
    /// with `x-amz-delete-marker: true`, the marker's `x-amz-version-id` and `Last-Modified`.
    /// - Parameter method: the request's HTTP method, named in the body as S3 does.
    static func methodNotAllowed(deleteMarker marker: ObjectRecord, method: String?) -> AWSError {
        var error = methodNotAllowed
        error.details["ResourceType"] = "DeleteMarker"
        if let method { error.details["Method"] = method }
        error.headers = [
            "x-amz-delete-marker": "true",
            "x-amz-version-id": marker.versionID ?? "null",
            "Last-Modified": Timestamp.httpDate(marker.lastModified.rounded(.down)),
        ]
        return error
    }

    static func malformedXML() -> AWSError {
        AWSError(
            code: "MalformedXML",
            message: "The XML you provided was not well-formed or did not validate against our published schema"
        )
    }
}
