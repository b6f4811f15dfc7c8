"""The caller's IP address is the TCP peer of the edge connection: S3 notification records
(`requestParameters.sourceIPAddress`) and API Gateway proxy events (payload 2.0
`requestContext.http.sourceIp`, payload 1.0 `requestContext.identity.sourceIp`) carry it.
Over loopback it is 127.0.0.1; a connection from another local address (127.0.0.2, bound as
the client's source) shows that address, and `X-Forwarded-For` does not change it."""

import http.client
import json
import socket
import urllib.parse
import uuid

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest

import sqskit
from apigwkit import ECHO_SOURCE, call, deploy_inline, event_of, make_api
from conftest import ACCESS_KEY, CLIENT_CONFIG, REGION, SECRET_KEY

OTHER_ADDRESS = "127.0.0.2"


def other_address_or_skip():
    """127.0.0.2 as a client source address, when this machine's loopback accepts it."""
    probe = socket.socket()
    try:
        probe.bind((OTHER_ADDRESS, 0))
    except OSError as error:
        pytest.skip(f"cannot bind {OTHER_ADDRESS} as a source address: {error}")
    finally:
        probe.close()
    return OTHER_ADDRESS


def send_from(source, url, method="GET", body=b"", headers=None, sign_service=None):
    """(status, body) of one HTTP request sent from local address `source`, SigV4-signed
    for `sign_service` when given."""
    headers = dict(headers or {})
    if sign_service:
        request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body, headers=headers)
        request.headers["x-amz-content-sha256"] = botocore.auth.UNSIGNED_PAYLOAD
        credentials = botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY)
        botocore.auth.S3SigV4Auth(credentials, sign_service, REGION).add_auth(request)
        headers = dict(request.headers.items())
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10, source_address=(source, 0))
    try:
        connection.request(method, parsed.path + ("?" + parsed.query if parsed.query else ""), body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def apigw(session, endpoint):
    return session.client("apigatewayv2", endpoint_url=endpoint, config=CLIENT_CONFIG)


@pytest.fixture(scope="module")
def echo(session, endpoint):
    return deploy_inline(session.client("lambda", endpoint_url=endpoint, config=CLIENT_CONFIG), ECHO_SOURCE)


def test_s3_records_carry_the_peer_address(client, endpoint):
    s3, sqs = client("s3"), client("sqs")
    bucket = f"nb-{uuid.uuid4().hex[:16]}"
    s3.create_bucket(Bucket=bucket)
    url = sqs.create_queue(QueueName=sqskit.unique("srcip"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
    )
    sqskit.drain(sqs, url, 1)  # the s3:TestEvent

    def forwarded_for(request, **_):
        request.headers["X-Forwarded-For"] = "203.0.113.50"

    s3.put_object(Bucket=bucket, Key="plain.txt", Body=b"a")
    s3.meta.events.register("before-sign.s3.PutObject", forwarded_for)
    s3.put_object(Bucket=bucket, Key="forwarded.txt", Body=b"b")
    expected = {"plain.txt": "127.0.0.1", "forwarded.txt": "127.0.0.1"}
    try:
        other = other_address_or_skip()
    except pytest.skip.Exception:
        other = None
    if other:
        status, body = send_from(other, f"{endpoint}/{bucket}/other.txt", method="PUT", body=b"c", sign_service="s3")
        assert status == 200, body
        expected["other.txt"] = other
    found = {}
    for message in sqskit.drain(sqs, url, len(expected)):
        for record in json.loads(message["Body"]).get("Records", []):
            found[record["s3"]["object"]["key"]] = record["requestParameters"]["sourceIPAddress"]
    assert found == expected


@pytest.mark.parametrize("version", ["2.0", "1.0"])
def test_api_gateway_events_carry_the_peer_address(apigw, echo, version):
    _, base, _ = make_api(apigw, echo, version=version, route_keys=("GET /where",))

    def source_ip(event):
        context = event["requestContext"]
        return context["http"]["sourceIp"] if version == "2.0" else context["identity"]["sourceIp"]

    assert source_ip(event_of(call(base + "/where"))) == "127.0.0.1"
    assert source_ip(event_of(call(base + "/where", headers={"X-Forwarded-For": "203.0.113.50"}))) == "127.0.0.1"
    other = other_address_or_skip()
    status, body = send_from(other, base + "/where")
    assert status == 200, body
    assert source_ip(json.loads(body)) == other
