"""S3 bucket configuration with boto3, urllib and http.client: CORS (stored and enforced for
preflight and simple requests), bucket policies, the static-website endpoint, lifecycle expiration."""
import datetime
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def bucket(s3):
    name = f"cb-{uuid.uuid4().hex[:16]}"
    s3.create_bucket(Bucket=name)
    return name


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def request(endpoint, method, path, headers=None, host=None):
    """(status, headers (lower-cased names), body) of one raw HTTP request."""
    parsed = urllib.parse.urlparse(endpoint)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    all_headers = dict(headers or {})
    if host:
        all_headers["Host"] = host
    connection.request(method, path, headers=all_headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


CORS = {
    "CORSRules": [
        {
            "ID": "app",
            "AllowedOrigins": ["https://app.example.com", "http://*.dev.local"],
            "AllowedMethods": ["GET", "PUT"],
            "AllowedHeaders": ["content-type", "x-amz-*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 600,
        }
    ]
}


def test_cors_configuration_and_preflight(s3, bucket, endpoint):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=bucket)
    assert code(excinfo) == "NoSuchCORSConfiguration"
    status, _, body = request(endpoint, "OPTIONS", f"/{bucket}/k", {"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"})
    assert status == 403 and b"CORS is not enabled for this bucket" in body

    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS)
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == CORS["CORSRules"]

    preflight = urllib.request.Request(
        f"{endpoint}/{bucket}/photo.jpg",
        method="OPTIONS",
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "Content-Type, X-Amz-Meta-Owner"},
    )
    with urllib.request.urlopen(preflight) as response:
        assert response.status == 200
        assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        assert response.headers["Access-Control-Allow-Methods"] == "GET, PUT"
        assert response.headers["Access-Control-Allow-Headers"] == "content-type, x-amz-meta-owner"
        assert response.headers["Access-Control-Max-Age"] == "600"
        assert response.headers["Access-Control-Expose-Headers"] == "ETag"
        assert response.headers["Access-Control-Allow-Credentials"] == "true"
    # A wildcard origin, a method or a header the rule does not allow.
    status, headers, _ = request(endpoint, "OPTIONS", f"/{bucket}/k", {"Origin": "http://api.dev.local", "Access-Control-Request-Method": "GET"})
    assert status == 200 and headers["access-control-allow-origin"] == "http://api.dev.local"
    for bad in (
        {"Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"},
        {"Origin": "https://app.example.com", "Access-Control-Request-Method": "DELETE"},
        {"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
    ):
        status, headers, body = request(endpoint, "OPTIONS", f"/{bucket}/k", bad)
        assert status == 403 and b"AccessForbidden" in body and "access-control-allow-origin" not in headers

    # A simple request: S3's answer carries the CORS headers for an allowed origin only.
    s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Origin": "https://app.example.com"})) as response:
        assert response.read() == b"data"
        assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        assert response.headers["Access-Control-Expose-Headers"] == "ETag"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Origin": "https://evil.example.com"})) as response:
        assert response.headers["Access-Control-Allow-Origin"] is None

    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]})
    assert code(excinfo) == "InvalidRequest"
    s3.delete_bucket_cors(Bucket=bucket)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=bucket)
    assert code(excinfo) == "NoSuchCORSConfiguration"


def test_bucket_policy(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_policy(Bucket=bucket)
    assert code(excinfo) == "NoSuchBucketPolicy"
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == policy
    for bad in ("not json", json.dumps({"Version": "2012-10-17"}), json.dumps({"Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "s3:*", "Resource": "*"}]})):
        with pytest.raises(ClientError) as excinfo:
            s3.put_bucket_policy(Bucket=bucket, Policy=bad)
        assert code(excinfo) == "MalformedPolicy"
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == policy
    s3.delete_bucket_policy(Bucket=bucket)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_policy(Bucket=bucket)
    assert code(excinfo) == "NoSuchBucketPolicy"


def test_website_endpoint(s3, bucket, endpoint):
    site = f"{endpoint}/_nimbus/website/{bucket}"
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(site + "/")
    assert excinfo.value.code == 404 and b"NoSuchWebsiteConfiguration" in excinfo.value.read()

    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<h1>home</h1>", ContentType="text/html")
    s3.put_object(Bucket=bucket, Key="docs/index.html", Body=b"<h1>docs</h1>", ContentType="text/html")
    s3.put_object(Bucket=bucket, Key="app.js", Body=b"console.log(1)", ContentType="application/javascript")
    s3.put_object(Bucket=bucket, Key="404.html", Body=b"<h1>missing</h1>", ContentType="text/html")
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "404.html"}})
    assert s3.get_bucket_website(Bucket=bucket)["IndexDocument"] == {"Suffix": "index.html"}

    with urllib.request.urlopen(site + "/") as response:
        assert response.read() == b"<h1>home</h1>" and response.headers["Content-Type"] == "text/html"
    with urllib.request.urlopen(site + "/app.js") as response:
        assert response.read() == b"console.log(1)"
    with urllib.request.urlopen(site + "/docs/") as response:
        assert response.read() == b"<h1>docs</h1>"
    status, headers, _ = request(endpoint, "GET", f"/_nimbus/website/{bucket}/docs")
    assert status == 302 and headers["location"] == f"/_nimbus/website/{bucket}/docs/"
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(site + "/nope.html")
    assert excinfo.value.code == 404 and excinfo.value.read() == b"<h1>missing</h1>"

    # AWS's host form, for clients that resolve *.localhost.
    status, _, body = request(endpoint, "GET", "/", host=f"{bucket}.s3-website-us-east-1.localhost")
    assert status == 200 and body == b"<h1>home</h1>"

    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"RedirectAllRequestsTo": {"HostName": "example.com", "Protocol": "https"}})
    status, headers, _ = request(endpoint, "GET", f"/_nimbus/website/{bucket}/a/b")
    assert status == 301 and headers["location"] == "https://example.com/a/b"
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"ErrorDocument": {"Key": "e.html"}})
    assert code(excinfo) == "InvalidArgument"
    s3.delete_bucket_website(Bucket=bucket)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_website(Bucket=bucket)
    assert code(excinfo) == "NoSuchWebsiteConfiguration"


def test_lifecycle_expiration(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert code(excinfo) == "NoSuchLifecycleConfiguration"
    for key in ("logs/a", "logs/b", "keep/c"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    rules = [
        {"ID": "old-logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Date": past}},
        {"ID": "later", "Status": "Enabled", "Filter": {"Prefix": "keep/"}, "Expiration": {"Days": 30}},
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    stored = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [(r["ID"], r["Filter"], r["Status"]) for r in stored] == [("old-logs", {"Prefix": "logs/"}, "Enabled"), ("later", {"Prefix": "keep/"}, "Enabled")]
    assert stored[0]["Expiration"]["Date"] == past and stored[1]["Expiration"]["Days"] == 30
    deadline = time.monotonic() + 10
    keys = None
    while time.monotonic() < deadline:
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        if keys == ["keep/c"]:
            break
        time.sleep(0.2)
    assert keys == ["keep/c"]
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_lifecycle_configuration(
            Bucket=bucket, LifecycleConfiguration={"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 0}}]}
        )
    assert code(excinfo) == "InvalidArgument"
    s3.delete_bucket_lifecycle(Bucket=bucket)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert code(excinfo) == "NoSuchLifecycleConfiguration"
