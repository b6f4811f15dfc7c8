"""A small HTTP endpoint for the SNS compat tests: it records every POST SNS sends and,
like a real subscriber, can confirm subscriptions by fetching the `SubscribeURL`."""

import base64
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Received:
    """One POST: its path, headers (lower-case names) and body."""

    def __init__(self, path, headers, body):
        self.path = path
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def message_type(self):
        return self.headers.get("x-amz-sns-message-type")


class Endpoint:
    """An HTTP server on 127.0.0.1:<free port>; `url(path)` addresses it.

    `status[path]` sets what a path answers (200 by default); with `confirm` set,
    SubscriptionConfirmations are confirmed by GETting their SubscribeURL.
    """

    def __init__(self, confirm=True):
        self.received = []
        self.status = {}
        self.confirm = confirm
        self.confirmations = []
        self._lock = threading.Condition()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                item = Received(self.path, headers, body)
                self.send_response(endpoint.status.get(self.path, 200))
                self.send_header("Content-Length", "0")
                self.end_headers()
                if endpoint.confirm and item.message_type == "SubscriptionConfirmation":
                    url = item.json["SubscribeURL"]
                    with urllib.request.urlopen(url, timeout=10) as response:
                        endpoint.confirmations.append((response.status, response.read().decode()))
                with endpoint._lock:
                    endpoint.received.append(item)
                    endpoint._lock.notify_all()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, predicate, timeout=10.0):
        """The received POSTs once `predicate(list)` holds; fails the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(self.received):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; received {[(r.path, r.message_type, r.body[:200]) for r in self.received]}")
                self._lock.wait(remaining)
            return list(self.received)

    def notifications(self, path=None):
        return [r for r in self.received if r.message_type == "Notification" and (path is None or r.path == path)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def subscribe_http(sns, topic_arn, endpoint, path, attributes=None, timeout=10.0):
    """Subscribes `endpoint.url(path)`, waits for the handshake to complete; returns the subscription ARN."""
    arguments = dict(TopicArn=topic_arn, Protocol="http", Endpoint=endpoint.url(path), ReturnSubscriptionArn=True)
    if attributes:
        arguments["Attributes"] = attributes
    arn = sns.subscribe(**arguments)["SubscriptionArn"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "false":
            return arn
        time.sleep(0.05)
    raise AssertionError(f"{endpoint.url(path)} was not confirmed within {timeout}s")


CANONICAL_FIELDS = {
    "Notification": ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
    "SubscriptionConfirmation": ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
}


def canonical_string(envelope):
    """The text AWS signs: `name\\nvalue\\n` for each present field, in AWS's order."""
    return "".join(f"{name}\n{envelope[name]}\n" for name in CANONICAL_FIELDS[envelope["Type"]] if name in envelope)


def verify_signature(envelope, certificate_pem):
    """Raises if `envelope`'s Signature does not verify with the certificate (python `cryptography`)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    algorithm = hashes.SHA256() if envelope["SignatureVersion"] == "2" else hashes.SHA1()
    certificate.public_key().verify(
        base64.b64decode(envelope["Signature"]), canonical_string(envelope).encode(), padding.PKCS1v15(), algorithm
    )
