import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// Put/Get/DeleteBucketLifecycleConfiguration. The rules are applied by `sweepLifecycle`,
/// which the background worker runs periodically and right after a configuration changes.
extension S3Service {
    package func putBucketLifecycleConfiguration(
        _ input: S3Shapes.PutBucketLifecycleConfigurationRequest,
        context: RequestContext
    ) async throws -> S3Shapes.PutBucketLifecycleConfigurationOutput {
        try await existingBucket(input.bucket)
        let rules = try (input.lifecycleConfiguration?.rules ?? []).map(Self.expirationRule)
        guard !rules.isEmpty, rules.count <= 1000 else { throw S3Errors.malformedXML() }
        guard Set(rules.map(\.id)).count == rules.count else {
            throw S3Errors.invalidArgument("Rule ID must be unique. Found same ID for more than one rule", name: "ID", value: "")
        }
        try await store.setBucketSetting(.lifecycle, bucket: input.bucket, value: try S3Store.encode(rules))
        lifecycleWake.signal()
        return S3Shapes.PutBucketLifecycleConfigurationOutput()
    }

    package func getBucketLifecycleConfiguration(
        _ input: S3Shapes.GetBucketLifecycleConfigurationRequest,
        context: RequestContext
    ) async throws -> S3Shapes.GetBucketLifecycleConfigurationOutput {
        guard let rules = S3Store.decode([ExpirationRule].self, try await store.bucketSetting(.lifecycle, bucket: input.bucket)) else {
            throw AWSError(
                code: "NoSuchLifecycleConfiguration",
                status: 404,
                message: "The lifecycle configuration does not exist",
                details: ["BucketName": input.bucket]
            )
        }
        return S3Shapes.GetBucketLifecycleConfigurationOutput(rules: rules.map(Self.shape))
    }

    package func deleteBucketLifecycle(_ input: S3Shapes.DeleteBucketLifecycleRequest, context: RequestContext) async throws {
        try await store.setBucketSetting(.lifecycle, bucket: input.bucket, value: nil)
    }

    /// Checks one rule as S3 does and converts it.
    static func expirationRule(_ shape: S3Shapes.LifecycleRule) throws(AWSError) -> ExpirationRule {
        guard shape.status == "Enabled" || shape.status == "Disabled" else { throw S3Errors.malformedXML() }
        let id = shape.id ?? UUID().uuidString
        guard id.count <= 255 else { throw S3Errors.invalidArgument("ID length should not exceed allowed limit of 255", name: "ID", value: id) }
        var rule = ExpirationRule(id: id, enabled: shape.status == "Enabled")
        if shape.transitions?.isEmpty == false || shape.noncurrentVersionTransitions?.isEmpty == false {
            throw AWSError.notImplemented(service: "s3", operation: "PutBucketLifecycleConfiguration with Transitions")
        }
        if let filter = shape.filter {
            guard shape.prefix == nil else { throw S3Errors.malformedXML() }
            rule.prefix = filter.prefix ?? filter.and?.prefix ?? ""
            rule.tags = (filter.tag.map { [$0] } ?? filter.and?.tags ?? []).map { ObjectTag(key: $0.key, value: $0.value) }
            rule.sizeGreaterThan = filter.objectSizeGreaterThan ?? filter.and?.objectSizeGreaterThan
            rule.sizeLessThan = filter.objectSizeLessThan ?? filter.and?.objectSizeLessThan
        } else {
            rule.legacyPrefix = shape.prefix != nil
            rule.prefix = shape.prefix ?? ""
        }
        if let expiration = shape.expiration {
            let given = [expiration.days != nil, expiration.date != nil, expiration.expiredObjectDeleteMarker != nil].filter { $0 }.count
            guard given == 1 else { throw S3Errors.malformedXML() }
            if let days = expiration.days {
                guard days > 0 else {
                    throw S3Errors.invalidArgument("'Days' for Expiration action must be a positive integer", name: "Days", value: "\(days)")
                }
                rule.days = days
            }
            if let date = expiration.date {
                let seconds = date.timeIntervalSince1970
                guard seconds.truncatingRemainder(dividingBy: 86_400) == 0 else {
                    throw S3Errors.invalidArgument("'Date' must be at midnight GMT", name: "Date", value: Timestamp.iso8601(seconds))
                }
                rule.date = seconds
            }
            rule.expiredObjectDeleteMarker = expiration.expiredObjectDeleteMarker
        }
        if let noncurrent = shape.noncurrentVersionExpiration?.noncurrentDays {
            guard noncurrent > 0 else {
                throw S3Errors.invalidArgument(
                    "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
                    name: "NoncurrentDays",
                    value: "\(noncurrent)"
                )
            }
            rule.noncurrentDays = noncurrent
        }
        if let abort = shape.abortIncompleteMultipartUpload?.daysAfterInitiation {
            guard abort > 0 else {
                throw S3Errors.invalidArgument(
                    "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
                    name: "DaysAfterInitiation",
                    value: "\(abort)"
                )
            }
            rule.abortIncompleteDays = abort
        }
        guard
            rule.days != nil || rule.date != nil || rule.expiredObjectDeleteMarker != nil || rule.noncurrentDays != nil
                || rule.abortIncompleteDays != nil
        else {
            throw AWSError(code: "InvalidRequest", message: "At least one action needs to be specified in a rule")
        }
        return rule
    }

    /// The rule in the wire shape GetBucketLifecycleConfiguration returns.
    static func shape(_ rule: ExpirationRule) -> S3Shapes.LifecycleRule {
        var shape = S3Shapes.LifecycleRule(id: rule.id, status: rule.enabled ? "Enabled" : "Disabled")
        if rule.legacyPrefix {
            shape.prefix = rule.prefix
        } else if rule.tags.isEmpty, rule.sizeGreaterThan == nil, rule.sizeLessThan == nil {
            shape.filter = S3Shapes.LifecycleRuleFilter(prefix: rule.prefix)
        } else if rule.tags.count == 1, rule.prefix.isEmpty, rule.sizeGreaterThan == nil, rule.sizeLessThan == nil {
            shape.filter = S3Shapes.LifecycleRuleFilter(tag: S3Shapes.Tag(key: rule.tags[0].key, value: rule.tags[0].value))
        } else {
            shape.filter = S3Shapes.LifecycleRuleFilter(
                and: S3Shapes.LifecycleRuleAndOperator(
                    objectSizeGreaterThan: rule.sizeGreaterThan,
                    objectSizeLessThan: rule.sizeLessThan,
                    prefix: rule.prefix.isEmpty ? nil : rule.prefix,
                    tags: rule.tags.isEmpty ? nil : rule.tags.map { S3Shapes.Tag(key: $0.key, value: $0.value) }
                )
            )
        }
        if rule.days != nil || rule.date != nil || rule.expiredObjectDeleteMarker != nil {
            shape.expiration = S3Shapes.LifecycleExpiration(
                date: rule.date.map { Date(timeIntervalSince1970: $0) },
                days: rule.days,
                expiredObjectDeleteMarker: rule.expiredObjectDeleteMarker
            )
        }
        shape.noncurrentVersionExpiration = rule.noncurrentDays.map { S3Shapes.NoncurrentVersionExpiration(noncurrentDays: $0) }
        shape.abortIncompleteMultipartUpload = rule.abortIncompleteDays.map { S3Shapes.AbortIncompleteMultipartUpload(daysAfterInitiation: $0) }
        return shape
    }
}
