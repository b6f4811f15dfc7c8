"""S3 buckets and objects with boto3: create/list/delete buckets, put/get/head/delete,
ranges, conditionals, response overrides, copies, listings and checksums."""
import datetime
import hashlib
import http.client
import uuid
from xml.etree import ElementTree

import pytest
from botocore.exceptions import ClientError


def bucket_name(prefix="b"):
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def bucket(s3):
    name = bucket_name()
    s3.create_bucket(Bucket=name)
    return name


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_bucket_lifecycle(s3):
    name = bucket_name()
    s3.create_bucket(Bucket=name)
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] is None
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket=name)
    assert error_code(excinfo) == "BucketNotEmpty"
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)
    with pytest.raises(ClientError) as excinfo:
        s3.head_bucket(Bucket=name)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_bucket_names_and_location_constraints(s3, client):
    for bad in ["Upper", "ab", "a..b", "192.168.1.1"]:
        with pytest.raises(ClientError) as excinfo:
            s3.create_bucket(Bucket=bad)
        assert error_code(excinfo) == "InvalidBucketName"
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket=bucket_name(), CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert error_code(excinfo) == "InvalidLocationConstraint"
    west = client("s3", region="eu-west-1")
    name = bucket_name()
    west.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert west.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    with pytest.raises(ClientError) as excinfo:
        west.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error_code(excinfo) == "BucketAlreadyOwnedByYou"


def test_put_get_head_with_metadata(s3, bucket):
    body = b"hello, nimbus"
    put = s3.put_object(
        Bucket=bucket, Key="dir/hello.txt", Body=body, ContentType="text/plain", CacheControl="max-age=60",
        ContentDisposition="inline", Metadata={"colour": "blue"},
    )
    assert put["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
    got = s3.get_object(Bucket=bucket, Key="dir/hello.txt")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/plain"
    assert got["CacheControl"] == "max-age=60"
    assert got["ContentDisposition"] == "inline"
    assert got["Metadata"] == {"colour": "blue"}
    assert got["ETag"] == put["ETag"]
    head = s3.head_object(Bucket=bucket, Key="dir/hello.txt")
    assert head["ContentLength"] == len(body)
    assert head["Metadata"] == {"colour": "blue"}
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="missing")
    assert error_code(excinfo) == "NoSuchKey"
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket_name("none"), Key="k", Body=b"x")
    assert error_code(excinfo) == "NoSuchBucket"


def test_ranges_conditionals_and_overrides(s3, bucket):
    s3.put_object(Bucket=bucket, Key="r", Body=b"0123456789")
    part = s3.get_object(Bucket=bucket, Key="r", Range="bytes=2-5")
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert part["Body"].read() == b"2345"
    assert part["ContentRange"] == "bytes 2-5/10"
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=-3")["Body"].read() == b"789"
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="r", Range="bytes=20-30")
    assert error_code(excinfo) == "InvalidRange"
    etag = s3.head_object(Bucket=bucket, Key="r")["ETag"]
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="r", IfMatch='"nope"')
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="r", IfNoneMatch=etag)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="r", IfModifiedSince=future)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    assert s3.get_object(Bucket=bucket, Key="r", IfMatch=etag)["Body"].read() == b"0123456789"
    got = s3.get_object(Bucket=bucket, Key="r", ResponseContentType="application/x-test", ResponseContentDisposition="attachment")
    assert got["ContentType"] == "application/x-test"
    assert got["ContentDisposition"] == "attachment"


def test_checksums_and_content_md5(s3, bucket, client):
    put = s3.put_object(Bucket=bucket, Key="c", Body=b"checked", ChecksumAlgorithm="SHA256")
    assert put["ChecksumSHA256"]
    got = s3.get_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert got["Body"].read() == b"checked"
    assert got["ChecksumSHA256"] == put["ChecksumSHA256"]
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"data", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")
    assert error_code(excinfo) == "BadDigest"
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="bad")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert error_code(excinfo) == "KeyTooLongError"


def test_copy_object_directives(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"copy me", ContentType="text/plain", Metadata={"a": "1"})
    s3.copy_object(Bucket=bucket, Key="same-meta", CopySource={"Bucket": bucket, "Key": "src"})
    copied = s3.get_object(Bucket=bucket, Key="same-meta")
    assert copied["Body"].read() == b"copy me"
    assert copied["Metadata"] == {"a": "1"} and copied["ContentType"] == "text/plain"
    s3.copy_object(
        Bucket=bucket, Key="new-meta", CopySource=f"{bucket}/src", MetadataDirective="REPLACE", Metadata={"b": "2"},
        ContentType="application/json",
    )
    replaced = s3.head_object(Bucket=bucket, Key="new-meta")
    assert replaced["Metadata"] == {"b": "2"} and replaced["ContentType"] == "application/json"
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"})
    assert error_code(excinfo) == "InvalidRequest"
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "src"}, CopySourceIfMatch='"0"')
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def test_listing_prefix_delimiter_pagination(s3, bucket):
    keys = ["a/1", "a/2", "b/1", "c", "d e+f", "photos/2024/x.jpg", "photos/2025/y.jpg"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"1")
    listed = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in listed["Contents"]] == sorted(keys)
    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [o["Key"] for o in top["Contents"]] == ["c", "d e+f"]
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "b/", "photos/"]
    photos = s3.list_objects_v2(Bucket=bucket, Prefix="photos/", Delimiter="/")
    assert [p["Prefix"] for p in photos["CommonPrefixes"]] == ["photos/2024/", "photos/2025/"]
    seen, token = [], None
    while True:
        page = s3.list_objects_v2(Bucket=bucket, MaxKeys=2, **({"ContinuationToken": token} if token else {}))
        assert page["KeyCount"] <= 2
        seen += [o["Key"] for o in page.get("Contents", [])]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert seen == sorted(keys)
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="c")
    assert [o["Key"] for o in after["Contents"]] == ["d e+f", "photos/2024/x.jpg", "photos/2025/y.jpg"]
    v1 = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=2)
    assert v1["IsTruncated"] and v1["NextMarker"] == "b/"
    rest = s3.list_objects(Bucket=bucket, Delimiter="/", Marker=v1["NextMarker"])
    assert [o["Key"] for o in rest["Contents"]] == ["c", "d e+f"]
    paginator = s3.get_paginator("list_objects_v2")
    assert sum(len(p.get("Contents", [])) for p in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 3})) == len(keys)


def test_delete_objects_quiet_and_verbose(s3, bucket):
    for key in ["x1", "x2", "x3"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"1")
    verbose = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "x1"}, {"Key": "missing"}]})
    assert sorted(d["Key"] for d in verbose["Deleted"]) == ["missing", "x1"]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "x2"}], "Quiet": True})
    assert "Deleted" not in quiet
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["x3"]


def test_virtual_hosted_style(s3, endpoint, bucket):
    # *.localhost may not resolve here: connect to the endpoint and name the bucket in Host.
    host, port = endpoint.split("//", 1)[1].rsplit(":", 1)
    virtual_host = f"{bucket}.s3.localhost:{port}"

    def call(method, path, body=None):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request(method, path, body=body, headers={"Host": virtual_host})
        response = connection.getresponse()
        return response.status, response.read()

    assert call("PUT", "/v/key.txt", b"virtual")[0] == 200
    assert s3.get_object(Bucket=bucket, Key="v/key.txt")["Body"].read() == b"virtual"
    assert call("GET", "/v/key.txt") == (200, b"virtual")
    status, listing = call("GET", "/?list-type=2")
    assert status == 200 and b"<Key>v/key.txt</Key>" in listing


def test_response_root_elements_are_named_as_aws(s3, bucket):
    """SDKs that check a response's root element (Rust's does) find AWS's names and namespace."""
    roots = {}

    def capture(http_response, model, **_):
        if http_response.content:
            roots[model.name] = ElementTree.fromstring(http_response.content).tag

    s3.meta.events.register("after-call.s3", capture)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3.list_buckets()
    s3.list_objects(Bucket=bucket)
    s3.list_objects_v2(Bucket=bucket)
    s3.list_object_versions(Bucket=bucket)
    s3.get_object_tagging(Bucket=bucket, Key="k")
    s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ETag"])
    upload = s3.create_multipart_upload(Bucket=bucket, Key="m")["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key="m", UploadId=upload, PartNumber=1, Body=b"y")
    s3.list_parts(Bucket=bucket, Key="m", UploadId=upload)
    s3.list_multipart_uploads(Bucket=bucket)
    s3.complete_multipart_upload(
        Bucket=bucket, Key="m", UploadId=upload, MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}
    )
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k"}]})
    namespace = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    assert roots == {
        name: namespace + root
        for name, root in {
            "ListBuckets": "ListAllMyBucketsResult",
            "ListObjects": "ListBucketResult",
            "ListObjectsV2": "ListBucketResult",
            "ListObjectVersions": "ListVersionsResult",
            "GetObjectTagging": "Tagging",
            "GetObjectAttributes": "GetObjectAttributesResponse",
            "CreateMultipartUpload": "InitiateMultipartUploadResult",
            "ListParts": "ListPartsResult",
            "ListMultipartUploads": "ListMultipartUploadsResult",
            "CompleteMultipartUpload": "CompleteMultipartUploadResult",
            "DeleteObjects": "DeleteResult",
        }.items()
    }
