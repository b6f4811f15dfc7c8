"""Helpers for the SQS compat tests: unique queue names and AWS's MD5 digests.

boto3 itself does not check SQS's MD5s (the Java, Go and .NET SDKs do), so the tests
recompute them here with AWS's documented algorithm, written independently of Nimbus's
Swift code: a wrong digest fails the test exactly as it would fail those SDKs.
"""

import hashlib
import struct
import uuid


def unique(prefix="q", fifo=False):
    """A queue name no other test uses (the shared server is reused across the suite)."""
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    return name + ".fifo" if fifo else name


def md5_of_body(body):
    return hashlib.md5(body.encode("utf-8")).hexdigest()


def _length_prefixed(data):
    return struct.pack(">I", len(data)) + data


def md5_of_attributes(attributes):
    """AWS's digest of message (or system) attributes: for each by name, length-prefixed name
    and data type, a transport byte (1 string, 2 binary, 3 string list, 4 binary list), then
    the length-prefixed value(s). None when there are no attributes.
    See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
    """
    if not attributes:
        return None
    buffer = b""
    for name in sorted(attributes, key=lambda n: n.encode("utf-8")):
        value = attributes[name]
        buffer += _length_prefixed(name.encode("utf-8")) + _length_prefixed(value["DataType"].encode("utf-8"))
        if "StringValue" in value:
            buffer += b"\x01" + _length_prefixed(value["StringValue"].encode("utf-8"))
        elif "BinaryValue" in value:
            binary = value["BinaryValue"]
            buffer += b"\x02" + _length_prefixed(binary if isinstance(binary, bytes) else binary.encode())
        elif value.get("StringListValues"):
            buffer += b"\x03" + b"".join(_length_prefixed(v.encode("utf-8")) for v in value["StringListValues"])
        elif value.get("BinaryListValues"):
            buffer += b"\x04" + b"".join(_length_prefixed(v) for v in value["BinaryListValues"])
    return hashlib.md5(buffer).hexdigest()


def drain(sqs, url, expected, timeout=5, **kwargs):
    """Receive until `expected` messages arrived (or `timeout` seconds passed); returns them."""
    import time

    messages = []
    deadline = time.monotonic() + timeout
    while len(messages) < expected and time.monotonic() < deadline:
        response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs)
        messages += response.get("Messages", [])
    return messages


def drain_all(sqs, url, **kwargs):
    """Receive until a one-second long poll finds nothing; returns every message received."""
    messages = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs).get("Messages", [])
        if not batch:
            return messages
        messages += batch
