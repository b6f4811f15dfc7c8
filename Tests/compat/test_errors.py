"""Errors: unimplemented operations and bad input get AWS-style 4xx/501 answers, never 5xx
crashes, and nothing a client sends (or fails to send) stops the server serving others."""

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import ClientError

import harness
import rawhttp
from expect import assert_request_id, error_of


def assert_aws_error(response, status):
    assert response.status == status, f"expected HTTP {status}, got {response.describe()}"
    assert response.request_id(), f"no request id header: {response.describe()}"


# --- unimplemented operations ------------------------------------------------


def test_unimplemented_query_operation_is_501_not_implemented(client):
    with pytest.raises(ClientError) as raised:
        client("sts").assume_role(RoleArn="arn:aws:iam::000000000000:role/r", RoleSessionName="session")

    status, code, message = error_of(raised.value)
    assert (status, code) == (501, "NotImplemented"), message
    assert "sts" in message.lower() and "AssumeRole" in message, f"message names neither service nor operation: {message!r}"


# SQS's AddPermission (cross-account queue permissions) stays unimplemented on purpose:
# Nimbus has one account and no IAM policy evaluation.
ADD_PERMISSION = dict(
    QueueUrl="http://localhost:4566/000000000000/q", Label="l", AWSAccountIds=["111111111111"], Actions=["SendMessage"]
)


def test_unimplemented_json_operation_is_501_not_implemented(client):
    with pytest.raises(ClientError) as raised:
        client("sqs").add_permission(**ADD_PERMISSION)

    status, code, message = error_of(raised.value)
    assert (status, code) == (501, "NotImplemented"), message
    assert "sqs" in message.lower() and "AddPermission" in message, f"message names neither service nor operation: {message!r}"


def test_aws_cli_reports_not_implemented(aws_cli_error):
    stderr = aws_cli_error(
        "sqs", "add-permission", "--queue-url", ADD_PERMISSION["QueueUrl"], "--label", "l",
        "--aws-account-ids", "111111111111", "--actions", "SendMessage",
    )
    assert "NotImplemented" in stderr, stderr


# --- malformed requests ---------------------------------------------------------


def test_malformed_json_body_is_400(endpoint):
    response = rawhttp.send_json(endpoint, "AmazonSQS.ListQueues", b'{"QueueNamePrefix": ')

    assert_aws_error(response, 400)
    assert "__type" in response.json(), response.describe()


def test_invalid_utf8_in_json_body_is_400(endpoint):
    response = rawhttp.send_json(endpoint, "AmazonSQS.ListQueues", b'{"QueueNamePrefix": "\xff\xfe"}')

    assert_aws_error(response, 400)


def test_unknown_json_target_is_400_unknown_operation(endpoint):
    response = rawhttp.send_json(endpoint, "AmazonSQS.NoSuchThing", b"{}")

    assert_aws_error(response, 400)
    assert "UnknownOperationException" in response.json().get("__type", ""), response.describe()


def test_unknown_query_action_is_400_invalid_action(endpoint):
    response = rawhttp.send_query(endpoint, "sts", "Action=NoSuchAction&Version=2011-06-15")

    assert_aws_error(response, 400)
    assert "<ErrorResponse" in response.text, response.describe()
    assert response.error_code() == "InvalidAction", response.describe()


# --- limits ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_body_server(start_server):
    return start_server("--max-body-size", "1024")


def test_body_over_the_configured_cap_is_413(small_body_server):
    body = b'{"QueueNamePrefix": "' + b"a" * 4096 + b'"}'

    response = rawhttp.send_json(small_body_server.endpoint, "AmazonSQS.ListQueues", body)

    assert_aws_error(response, 413)
    assert harness.get_health(small_body_server.endpoint)[0] == 200


def test_body_under_the_configured_cap_is_served(small_body_server, client):
    response = client("sts", endpoint=small_body_server.endpoint).get_caller_identity()
    assert response["Account"] == "000000000000"


def test_thousands_of_headers_are_rejected_and_the_server_keeps_serving(start_server):
    server = start_server()
    host = urlsplit(server.endpoint).netloc
    flood = "".join(f"X-Foo-{n}: {'v' * 64}\r\n" for n in range(2000))
    request = f"POST / HTTP/1.1\r\nHost: {host}\r\n{flood}Content-Length: 0\r\nConnection: close\r\n\r\n".encode()

    head = rawhttp.exchange_raw(server.endpoint, request)

    assert head is not None, f"the server closed the connection without an answer; log:\n{server.log()[-2000:]}"
    status, headers = head
    assert status in (400, 431), f"expected 431 or 400, got {status} {headers}"
    assert_request_id(headers)
    assert harness.get_health(server.endpoint)[0] == 200, "the server stopped serving after a header flood"


def test_a_slow_client_does_not_block_other_requests(start_server, client):
    server = start_server()
    url = urlsplit(server.endpoint)
    slow = socket.create_connection((url.hostname, url.port), timeout=10)
    try:
        slow.sendall(b"POST / HT")  # half a request line, then silence
        started = time.monotonic()
        # Meanwhile (the slow socket stays open throughout), other clients are
        # served; a server that waited for the slow one would time these out.
        assert harness.get_health(server.endpoint, timeout=5)[0] == 200
        assert client("sts", endpoint=server.endpoint).get_caller_identity()["Account"] == "000000000000"
        time.sleep(max(0.0, 2 - (time.monotonic() - started)))
    finally:
        slow.close()
    assert harness.get_health(server.endpoint)[0] == 200


def test_concurrent_clients_are_all_answered(start_server, client):
    server = start_server()
    sts = client("sts", endpoint=server.endpoint)

    with ThreadPoolExecutor(max_workers=8) as pool:
        calls = [pool.submit(sts.get_caller_identity) for _ in range(16)]
        accounts = [call.result(timeout=60)["Account"] for call in calls]

    assert accounts == ["000000000000"] * 16
