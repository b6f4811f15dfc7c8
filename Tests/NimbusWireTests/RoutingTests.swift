import Foundation
import HTTPTypes
import NimbusCore
import Testing

@testable import NimbusWire

@Suite struct RoutingTests {
    let router = OperationRouter()

    @Test func awsJsonTarget() throws {
        let request = AWSRequest(
            method: .post,
            target: "/",
            headers: [.contentType: "application/x-amz-json-1.1", HTTPField.Name("X-Amz-Target")!: "AmazonSSM.GetParameter"]
        )
        let routed = try router.route(request)
        #expect(routed.service.name == "ssm")
        #expect(routed.operation.name == "GetParameter")
        #expect(routed.protocol == .awsJson1_1)
    }

    @Test func unknownTargetIsUnknownOperation() {
        let request = AWSRequest(method: .post, target: "/", headers: [HTTPField.Name("X-Amz-Target")!: "AmazonSQS.NoSuchThing"])
        #expect {
            try router.route(request)
        } throws: { error in
            (error as? RoutingError)?.error.code == "UnknownOperationException"
        }
    }

    @Test func queryActionFoundByVersionWithoutSignature() throws {
        let request = AWSRequest(
            method: .post,
            target: "/",
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: Array("Action=Publish&Version=2010-03-31".utf8)
        )
        let routed = try router.route(request)
        #expect(routed.service.name == "sns")
        #expect(routed.operation.name == "Publish")
    }

    @Test func restRoutesPreferTheMostSpecificTemplate() throws {
        let listV2 = try router.route(AWSRequest(method: .get, target: "/bucket?list-type=2&prefix=a"))
        #expect(listV2.operation.name == "ListObjectsV2")
        let list = try router.route(AWSRequest(method: .get, target: "/bucket?prefix=a"))
        #expect(list.operation.name == "ListObjects")
        let copy = try router.route(AWSRequest(method: .put, target: "/b/k", headers: [HTTPField.Name("x-amz-copy-source")!: "a/b"]))
        #expect(copy.operation.name == "CopyObject")
        let put = try router.route(AWSRequest(method: .put, target: "/b/dir/k%20x"))
        #expect(put.operation.name == "PutObject")
        #expect(put.uriLabels == ["Bucket": "b", "Key": "dir/k x"])
        let lambda = try router.route(AWSRequest(method: .get, target: "/2015-03-31/functions/my-fn"))
        #expect(lambda.service.name == "lambda")
        #expect(lambda.operation.name == "GetFunction")
    }

    /// An unsigned REST request is tried against every REST service; a service none of whose routes
    /// can start with the path's first segment is passed over, and the routing is the same.
    @Test func aServiceIsPassedOverByItsRoutesFirstSegments() throws {
        let lambda = try ModelCatalog.shared.routeTable("lambda")
        let apiGateway = try ModelCatalog.shared.routeTable("apigateway")
        let s3 = try ModelCatalog.shared.routeTable("s3")
        let invoke = URITemplate.parts(of: "/2015-03-31/functions/f/invocations")
        #expect(lambda.mayMatch(parts: invoke))
        #expect(!apiGateway.mayMatch(parts: invoke))
        #expect(apiGateway.mayMatch(parts: URITemplate.parts(of: "/restapis/abc")))
        #expect(apiGateway.mayMatch(parts: URITemplate.parts(of: "/%72estapis/abc")), "an encoded segment is left to the full match")
        #expect(s3.mayMatch(parts: invoke), "S3 starts with {Bucket}: anything may match")
        #expect(lambda.mayMatch(parts: URITemplate.parts(of: "/")))
        let routed = try router.route(AWSRequest(method: .post, target: "/2015-03-31/functions/f/invocations", body: Array("{}".utf8)))
        #expect(routed.service.name == "lambda" && routed.operation.name == "Invoke")
        let encoded = try router.route(AWSRequest(method: .get, target: "/%72estapis/abc"))
        #expect(encoded.service.name == "apigateway" && encoded.operation.name == "GetRestApi")
    }

    @Test func virtualHostedBucketIsReadFromTheHostName() {
        #expect(S3Addressing.bucket(fromHost: "my-bucket.s3.localhost:4566") == "my-bucket")
        #expect(S3Addressing.bucket(fromHost: "My.Bucket.S3.us-east-1.amazonaws.com") == "my.bucket")
        #expect(S3Addressing.bucket(fromHost: "logs.s3-us-west-2.amazonaws.com") == "logs")
        #expect(S3Addressing.bucket(fromHost: "s3.localhost:4566") == nil)
        #expect(S3Addressing.bucket(fromHost: ".s3.localhost") == nil)
        #expect(S3Addressing.bucket(fromHost: "localhost:4566") == nil)
        #expect(S3Addressing.bucket(fromHost: "[::1]:4566") == nil)
        #expect(S3Addressing.bucket(fromHost: nil) == nil)
        var request = AWSRequest(method: .get, target: "/k/x", headers: [HTTPField.Name("Host")!: "b.s3.localhost"])
        #expect(request.hostBucket == "b" && S3Addressing.pathStyle(request) == "/b/k/x")
        // The bucket follows the headers when they change.
        request.headers[HTTPField.Name("Host")!] = "localhost:4566"
        #expect(request.hostBucket == nil && S3Addressing.pathStyle(request) == "/k/x")
    }

    @Test func hostNameSplitsAtTheFirstMarker() throws {
        let split = try #require(HostName.split("a.S3-Website.b.s3-website.c:80", at: ".s3-website"))
        #expect(split.before == "a")
        #expect(String(Substring(split.after)) == ".b.s3-website.c")
        #expect(HostName.split("x.s3-websit", at: ".s3-website") == nil)
    }

    @Test func rpcV2CBORPath() throws {
        let request = AWSRequest(
            method: .post,
            target: "/service/GraniteServiceVersion20100801/operation/ListMetrics",
            headers: [HTTPField.Name("smithy-protocol")!: "rpc-v2-cbor"]
        )
        let routed = try router.route(request)
        #expect(routed.service.name == "cloudwatch")
        #expect(routed.protocol == .rpcV2CBOR)
    }
}

@Suite struct CodecTests {
    let router = OperationRouter()

    private func stsCall(_ body: String) throws -> RoutedOperation {
        try router.route(
            AWSRequest(method: .post, target: "/", headers: [.contentType: "application/x-www-form-urlencoded"], body: Array(body.utf8))
        )
    }

    @Test func queryResponseHasAWSShape() throws {
        let routed = try stsCall("Action=GetCallerIdentity&Version=2011-06-15")
        let output = WireValue.object(["Account": .string("000000000000"), "Arn": .string("arn:aws:iam::000000000000:root")])
        let response = try ResponseEncoder.encode(output, for: routed, requestID: "req-1")
        let xml = try XMLDocumentParser.parse(response.body)
        #expect(xml.name == "GetCallerIdentityResponse")
        #expect(xml.attributes["xmlns"] == "https://sts.amazonaws.com/doc/2011-06-15/")
        #expect(xml.child(named: "GetCallerIdentityResult")?.child(named: "Account")?.text == "000000000000")
        #expect(xml.child(named: "ResponseMetadata")?.child(named: "RequestId")?.text == "req-1")
        #expect(response.headers[HTTPField.Name("x-amzn-RequestId")!] == "req-1")
    }

    @Test func missingRequiredMemberIsAValidationError() throws {
        let request = AWSRequest(
            method: .post,
            target: "/",
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: Array("Action=AssumeRole&Version=2011-06-15&RoleSessionName=s".utf8)
        )
        let routed = try router.route(request)
        #expect {
            try RequestDecoder.decodeInput(routed, request: request)
        } throws: { error in
            (error as? AWSError)?.code == "ValidationError" && (error as? AWSError)?.message.contains("roleArn") == true
        }
    }

    @Test func wrongMemberTypeIsASerializationError() throws {
        let request = AWSRequest(
            method: .post,
            target: "/",
            headers: [.contentType: "application/x-amz-json-1.0", HTTPField.Name("X-Amz-Target")!: "AmazonSQS.ReceiveMessage"],
            body: Array(#"{"QueueUrl":"q","MaxNumberOfMessages":"ten"}"#.utf8)
        )
        let routed = try router.route(request)
        #expect {
            try RequestDecoder.decodeInput(routed, request: request)
        } throws: { error in
            (error as? AWSError)?.code == "SerializationException"
        }
    }

    @Test func errorShapesPerProtocol() throws {
        let error = AWSError(code: "NoSuchThing", status: 404, message: "gone")
        let json = ErrorEncoder.encode(error, protocol: .awsJson1_0, requestID: "r")
        #expect(try JSONParser.parse(json.body) == .object(["__type": .string("NoSuchThing"), "message": .string("gone")]))
        #expect(json.headers[HTTPField.Name("x-amzn-ErrorType")!] == "NoSuchThing")
        let query = try XMLDocumentParser.parse(ErrorEncoder.encode(error, protocol: .query, requestID: "r").body)
        #expect(query.name == "ErrorResponse")
        #expect(query.child(named: "Error")?.child(named: "Code")?.text == "NoSuchThing")
        #expect(query.child(named: "Error")?.child(named: "Type")?.text == "Sender")
        #expect(query.child(named: "RequestId")?.text == "r")
        let s3 = try XMLDocumentParser.parse(ErrorEncoder.encode(error, protocol: .restXml, requestID: "r").body)
        #expect(s3.name == "Error")
        #expect(s3.child(named: "RequestId")?.text == "r")
        #expect(ErrorEncoder.encode(error, protocol: .restXml, requestID: "r").status == 404)
    }

    @Test func queryCompatibleErrorsCarryTheirQueryCode() throws {
        let error = AWSError(code: "QueueDoesNotExist", message: "gone", queryCode: "AWS.SimpleQueueService.NonExistentQueue")
        let json = ErrorEncoder.encode(error, protocol: .awsJson1_0, requestID: "r")
        #expect(json.headers[HTTPField.Name("x-amzn-query-error")!] == "AWS.SimpleQueueService.NonExistentQueue;Sender")
        #expect(try JSONParser.parse(json.body) == .object(["__type": .string("QueueDoesNotExist"), "message": .string("gone")]))
        let query = try XMLDocumentParser.parse(ErrorEncoder.encode(error, protocol: .query, requestID: "r").body)
        #expect(query.child(named: "Error")?.child(named: "Code")?.text == "AWS.SimpleQueueService.NonExistentQueue")
        let plain = ErrorEncoder.encode(AWSError(code: "X", message: "m"), protocol: .awsJson1_0, requestID: "r")
        #expect(plain.headers[HTTPField.Name("x-amzn-query-error")!] == nil)
    }

    @Test func errorHeadersAreSentWithTheBody() throws {
        let error = AWSError(code: "NoSuchKey", status: 404, message: "gone", headers: ["x-amz-delete-marker": "true", "x-amz-version-id": "v1"])
        for wire in [WireProtocol.restXml, .awsJson1_1, .query] {
            let response = ErrorEncoder.encode(error, protocol: wire, requestID: "r")
            #expect(response.headers[HTTPField.Name("x-amz-delete-marker")!] == "true")
            #expect(response.headers[HTTPField.Name("x-amz-version-id")!] == "v1")
        }
    }

    @Test func wireCodableValuesRoundTrip() throws {
        let tags: [String: [Int]] = ["a": [1, 2]]
        #expect(try [String: [Int]](wire: tags.wire, path: "") == tags)
        let date = Date(timeIntervalSince1970: 5)
        #expect(date.wire == .timestamp(5))
        #expect(try Date(wire: .timestamp(5), path: "") == date)
        #expect(Data([1, 2]).wire == .blob([1, 2]))
        var object = WireObject()
        object.set("Present", "x")
        object.set("Absent", String?.none)
        #expect(object.value == .object(["Present": .string("x")]))
        let members = try WireMembers(object.value, path: "")
        #expect(try members.required("Present") as String == "x")
        #expect(try members.optional("Absent") as String? == nil)
        #expect(throws: WireError.self) { try members.required("Absent") as String }
        #expect(throws: WireError.self) { try Int(wire: .string("5"), path: "count") }
    }
}
