import Foundation
import NimbusCore
import NimbusWire
import Testing

@testable import NimbusS3

@Suite struct CORSRuleTests {
    let rule = CORSRule(
        allowedOrigins: ["https://app.example.com", "http://*.dev.local"],
        allowedMethods: ["GET", "PUT"],
        allowedHeaders: ["content-type", "x-amz-*"],
        maxAgeSeconds: 60
    )

    @Test func wildcards() {
        #expect(CORSRule.wildcard("*", matches: "anything"))
        #expect(CORSRule.wildcard("http://*.dev.local", matches: "http://a.dev.local"))
        #expect(!CORSRule.wildcard("http://*.dev.local", matches: "https://a.dev.local"))
        #expect(!CORSRule.wildcard("a*a", matches: "a"))
        #expect(CORSRule.wildcard("X-Amz-*", matches: "x-amz-date", caseSensitive: false))
    }

    @Test func originMethodAndHeadersMustAllBeAllowed() {
        #expect(rule.allows(origin: "https://app.example.com", method: "PUT", headers: ["content-type", "x-amz-meta-a"]))
        #expect(!rule.allows(origin: "https://app.example.com", method: "DELETE", headers: []))
        #expect(!rule.allows(origin: "https://other.example.com", method: "GET", headers: []))
        #expect(!rule.allows(origin: "https://app.example.com", method: "GET", headers: ["authorization"]))
        let open = CORSRule(allowedOrigins: ["*"], allowedMethods: ["GET"])
        #expect(CORSRule.firstMatch([rule, open], origin: "https://x", method: "GET", headers: []) == open)
    }

    @Test func responseHeaders() {
        let headers = Dictionary(
            uniqueKeysWithValues: rule.responseHeaders(origin: "https://app.example.com", requestedHeaders: ["content-type"], preflight: true)
        )
        #expect(headers["Access-Control-Allow-Origin"] == "https://app.example.com")
        #expect(headers["Access-Control-Allow-Methods"] == "GET, PUT")
        #expect(headers["Access-Control-Allow-Headers"] == "content-type")
        #expect(headers["Access-Control-Max-Age"] == "60")
        #expect(headers["Access-Control-Allow-Credentials"] == "true")
        let open = Dictionary(
            uniqueKeysWithValues: CORSRule(allowedOrigins: ["*"], allowedMethods: ["GET"]).responseHeaders(
                origin: "https://x",
                requestedHeaders: [],
                preflight: false
            )
        )
        #expect(open["Access-Control-Allow-Origin"] == "*")
        #expect(open["Access-Control-Allow-Credentials"] == nil)
    }

    @Test func validation() {
        #expect(throws: AWSError.self) { try CORSRule.validate([CORSRule(allowedOrigins: ["*"], allowedMethods: ["PATCH"])]) }
        #expect(throws: AWSError.self) { try CORSRule.validate([CORSRule(allowedOrigins: ["*.*"], allowedMethods: ["GET"])]) }
        #expect(throws: AWSError.self) { try CORSRule.validate([]) }
        #expect(throws: Never.self) { try CORSRule.validate([rule]) }
    }
}

@Suite struct ExpirationRuleTests {
    @Test func selectsByPrefixTagsAndSize() {
        var rule = ExpirationRule(id: "r", enabled: true)
        rule.prefix = "logs/"
        rule.tags = [ObjectTag(key: "tier", value: "tmp")]
        rule.sizeGreaterThan = 10
        #expect(rule.selects(key: "logs/a", size: 11, tags: [ObjectTag(key: "tier", value: "tmp"), ObjectTag(key: "x", value: "y")]))
        #expect(!rule.selects(key: "logs/a", size: 10, tags: [ObjectTag(key: "tier", value: "tmp")]))
        #expect(!rule.selects(key: "logs/a", size: 11, tags: []))
        #expect(!rule.selects(key: "data/a", size: 11, tags: [ObjectTag(key: "tier", value: "tmp")]))
    }

    @Test func daysRoundUpToMidnight() {
        var rule = ExpirationRule(id: "r", enabled: true)
        rule.days = 1
        // Created 2026-01-02T03:04:05Z → due 2026-01-04T00:00:00Z.
        #expect(rule.expiry(created: 1_767_323_045) == 1_767_484_800)
        rule.days = nil
        rule.date = 1_767_225_600
        #expect(rule.expiry(created: 1_767_323_045) == 1_767_225_600)
    }

    @Test func configurationsAreCheckedAsS3Does() throws {
        let ok = S3Shapes.LifecycleRule(
            expiration: S3Shapes.LifecycleExpiration(days: 3),
            filter: S3Shapes.LifecycleRuleFilter(and: S3Shapes.LifecycleRuleAndOperator(prefix: "p/", tags: [S3Shapes.Tag(key: "a", value: "b")])),
            id: "keep",
            status: "Enabled"
        )
        let rule = try S3Service.expirationRule(ok)
        #expect(rule.prefix == "p/" && rule.tags == [ObjectTag(key: "a", value: "b")] && rule.days == 3)
        #expect(S3Service.shape(rule) == ok)
        var zero = ok
        zero.expiration = S3Shapes.LifecycleExpiration(days: 0)
        #expect(throws: AWSError.self) { try S3Service.expirationRule(zero) }
        var notMidnight = ok
        notMidnight.expiration = S3Shapes.LifecycleExpiration(date: Date(timeIntervalSince1970: 1_767_323_045))
        #expect(throws: AWSError.self) { try S3Service.expirationRule(notMidnight) }
        var noAction = ok
        noAction.expiration = nil
        #expect(throws: AWSError.self) { try S3Service.expirationRule(noAction) }
        var badStatus = ok
        badStatus.status = "On"
        #expect(throws: AWSError.self) { try S3Service.expirationRule(badStatus) }
    }
}

@Suite struct BucketPolicyTests {
    @Test func acceptsAWSPolicies() throws {
        try BucketPolicy.validate(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}]}"#
        )
        try BucketPolicy.validate(#"{"Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"NotAction":"s3:*","Resource":"*"}}"#)
    }

    @Test func rejectsMalformedPolicies() {
        for text in [
            "[]", "{", #"{"Version":"2012-10-17"}"#, #"{"Version":"2019-01-01","Statement":[]}"#,
            #"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2:RunInstances","Resource":"*"}]}"#,
        ] {
            #expect((try? BucketPolicy.validate(text)) == nil, "\(text)")
        }
    }
}

@Suite struct WebsiteTargetTests {
    @Test func pathAndHostForms() {
        #expect(WebsiteSettings.target(host: "127.0.0.1:4566", path: "/_nimbus/website/site/a/b.html")! == ("site", "a/b.html"))
        #expect(WebsiteSettings.target(host: "127.0.0.1:4566", path: "/_nimbus/website/site")! == ("site", ""))
        #expect(WebsiteSettings.target(host: "site.s3-website-us-east-1.localhost:4566", path: "/x")! == ("site", "x"))
        #expect(WebsiteSettings.target(host: "site.s3-website.eu-west-1.amazonaws.com", path: "/")! == ("site", ""))
        #expect(WebsiteSettings.target(host: "site.s3.localhost:4566", path: "/x") == nil)
        #expect(WebsiteSettings.target(host: "localhost:4566", path: "/site/x") == nil)
    }

    @Test func validation() {
        #expect(throws: AWSError.self) { try WebsiteSettings(errorKey: "e.html").validate() }
        #expect(throws: AWSError.self) { try WebsiteSettings(indexSuffix: "a/index.html").validate() }
        #expect(throws: AWSError.self) { try WebsiteSettings(indexSuffix: "index.html", redirectHost: "x.com").validate() }
        #expect(throws: Never.self) { try WebsiteSettings(indexSuffix: "index.html", errorKey: "404.html").validate() }
    }
}
