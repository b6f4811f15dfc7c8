"""Hand-built HTTP requests, for what boto3 would never send.

Bad inputs (malformed JSON, unknown operations, oversized bodies and headers,
half-sent requests) must still get AWS-style errors. Requests are signed with
botocore's own SigV4 signer, so a rejection is about the input, not the
signature; `signed_at` backdates a signature for the clock-skew test.
"""

import http.client
import json
import re
import select
import socket
import time
from dataclasses import dataclass
from unittest import mock
from urllib.parse import urlsplit

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

JSON_10 = "application/x-amz-json-1.0"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
REQUEST_ID_HEADERS = ("x-amzn-RequestId", "x-amz-request-id")


@dataclass
class RawResponse:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    def request_id(self):
        return next((self.headers[h] for h in REQUEST_ID_HEADERS if self.headers.get(h)), None)

    def error_code(self):
        """The AWS error code, from a JSON `__type` / X-Amzn-ErrorType or an XML <Code>."""
        match = re.search(r"<Code>([^<]*)</Code>", self.text)
        if match:
            return match.group(1)
        raw = self.headers.get("X-Amzn-ErrorType")
        if not raw:
            try:
                raw = self.json().get("__type")
            except (ValueError, AttributeError):
                return None
        # "com.amazonaws.sqs#QueueDoesNotExist" or "QueueDoesNotExist:http://…"
        return raw.split("#")[-1].split(":")[0] if raw else None

    def error_message(self):
        match = re.search(r"<Message>([^<]*)</Message>", self.text)
        if match:
            return match.group(1)
        try:
            body = self.json()
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        return body.get("message") or body.get("Message")

    def describe(self):
        """For assertion messages: what actually came back."""
        return f"HTTP {self.status} {dict(self.headers)} {self.text[:500]!r}"


def send(endpoint, method, target, body=b"", headers=None, timeout=10.0):
    """One request on a fresh connection; `target` is the path plus query string."""
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return RawResponse(response.status, response.headers, response.read())
    finally:
        connection.close()


def send_signed(
    endpoint,
    service,
    body,
    headers,
    method="POST",
    path="/",
    access_key="test",
    secret_key="test",
    region="us-east-1",
    signed_at=None,
):
    """Sign with SigV4 (as botocore would) and send; `signed_at` is a naive UTC datetime."""
    request = AWSRequest(method=method, url=endpoint + path, data=body, headers=headers)
    signer = SigV4Auth(Credentials(access_key, secret_key), service, region)
    if signed_at is None:
        signer.add_auth(request)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", lambda remove_tzinfo=True: signed_at):
            signer.add_auth(request)
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    target = url.path + (f"?{url.query}" if url.query else "")
    return send(endpoint, method, target, prepared.body or b"", dict(prepared.headers))


def send_json(endpoint, target, body, **kwargs):
    """An awsJson 1.0 request (`target` like "AmazonSQS.ListQueues"), signed for the target's service."""
    service = kwargs.pop("service", "sqs")
    headers = {"X-Amz-Target": target, "Content-Type": JSON_10}
    return send_signed(endpoint, service, body, headers, **kwargs)


def send_query(endpoint, service, form, **kwargs):
    """A query-protocol request (form-encoded `Action=…&Version=…` body)."""
    return send_signed(endpoint, service, form.encode(), {"Content-Type": FORM}, **kwargs)


def exchange_raw(endpoint, request_bytes, chunk_size=4096, timeout=10.0):
    """Write raw bytes in chunks and return the response's status line and headers (or None).

    Stops writing as soon as the server answers: a server that rejects an
    oversized request early and closes would otherwise reset the connection
    under our writes and the answer would be lost.
    """
    url = urlsplit(endpoint)
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
        for start in range(0, len(request_bytes), chunk_size):
            if select.select([sock], [], [], 0.02)[0]:
                break  # the server answered (or closed) before reading everything
            try:
                sock.sendall(request_bytes[start : start + chunk_size])
            except OSError:
                break  # reset by the server; its answer may still be readable
        received = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in received and time.monotonic() < deadline:
            try:
                data = sock.recv(65536)
            except OSError:
                break
            if not data:
                break
            received += data
    return parse_head(received)


def parse_head(received):
    """(status, {lower-cased header: value}) of a raw HTTP response head, or None if there is none."""
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    match = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    if not match:
        return None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(match.group(1)), headers
