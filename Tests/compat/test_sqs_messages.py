"""SQS messages with boto3 and the AWS CLI: send/receive/delete, AWS's MD5 digests, message
and system attributes, batches and their errors, size and character limits, delays,
visibility timeouts, receipt handles and long polling that returns as soon as a message arrives."""

import base64
import threading
import time

import pytest

from expect import code_of, error_of
from sqskit import drain, md5_of_attributes, md5_of_body, unique


@pytest.fixture(scope="module")
def sqs(client):
    return client("sqs")


@pytest.fixture
def queue(sqs):
    return sqs.create_queue(QueueName=unique())["QueueUrl"]



ATTRIBUTES = {
    "text": {"DataType": "String", "StringValue": "héllo wörld"},
    "count": {"DataType": "Number", "StringValue": "42"},
    "price": {"DataType": "Number.float", "StringValue": "3.14"},
    "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"},
    "custom.kind": {"DataType": "String.custom", "StringValue": "c"},
}


def test_send_receive_delete_with_aws_md5s(sqs, queue):
    body = "Grüße, 世界! 🎉"
    trace = {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}
    sent = sqs.send_message(QueueUrl=queue, MessageBody=body, MessageAttributes=ATTRIBUTES, MessageSystemAttributes=trace)
    assert sent["MD5OfMessageBody"] == md5_of_body(body)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(ATTRIBUTES)
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_attributes(trace)

    received = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])["Messages"]
    assert len(received) == 1
    message = received[0]
    assert message["MessageId"] == sent["MessageId"]
    assert message["Body"] == body
    assert message["MD5OfBody"] == md5_of_body(body)
    assert message["MessageAttributes"] == ATTRIBUTES
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(ATTRIBUTES)
    system = message["Attributes"]
    assert system["ApproximateReceiveCount"] == "1"
    assert system["SenderId"] == "000000000000"
    assert system["AWSTraceHeader"] == trace["AWSTraceHeader"]["StringValue"]
    assert abs(int(system["SentTimestamp"]) / 1000 - time.time()) < 5
    assert int(system["ApproximateFirstReceiveTimestamp"]) >= int(system["SentTimestamp"])

    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0")


def test_message_attribute_names_select_what_is_returned_and_its_md5(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="m", MessageAttributes=ATTRIBUTES)
    message = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["text", "custom.*"], VisibilityTimeout=0)["Messages"][0]
    chosen = {k: ATTRIBUTES[k] for k in ("text", "custom.kind")}
    assert message["MessageAttributes"] == chosen
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(chosen)
    bare = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)["Messages"][0]
    assert "MessageAttributes" not in bare and "MD5OfMessageAttributes" not in bare and "Attributes" not in bare
    every = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=[".*"], AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert every["MessageAttributes"] == ATTRIBUTES
    assert every["Attributes"] == {"ApproximateReceiveCount": "3"}


@pytest.mark.parametrize(
    "attributes",
    [
        {"AWS.reserved": {"DataType": "String", "StringValue": "x"}},
        {".leading": {"DataType": "String", "StringValue": "x"}},
        {"two..dots": {"DataType": "String", "StringValue": "x"}},
        {"bad type": {"DataType": "String", "StringValue": "x"}},
        {"t": {"DataType": "Text", "StringValue": "x"}},
        {"n": {"DataType": "Number", "StringValue": "not a number"}},
        {"e": {"DataType": "String", "StringValue": ""}},
        {"b": {"DataType": "Binary", "StringValue": "x"}},
        {f"a{n}": {"DataType": "String", "StringValue": "x"} for n in range(11)},
    ],
)
def test_invalid_message_attributes_are_refused(sqs, queue, attributes):
    assert code_of(sqs.send_message, QueueUrl=queue, MessageBody="m", MessageAttributes=attributes) == "InvalidParameterValue"


@pytest.mark.parametrize("body", ["nul \x00 byte", "bell \x07", "\ufffe", "\uffff"])
def test_invalid_characters_are_invalid_message_contents(sqs, queue, body):
    assert code_of(sqs.send_message, QueueUrl=queue, MessageBody=body) == "InvalidMessageContents"
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)


def test_message_size_follows_maximum_message_size(sqs):
    small = sqs.create_queue(QueueName=unique())["QueueUrl"]
    sqs.send_message(QueueUrl=small, MessageBody="x" * 262_144)
    assert code_of(sqs.send_message, QueueUrl=small, MessageBody="x" * 262_145) == "InvalidParameterValue"
    with_attribute = {"a": {"DataType": "String", "StringValue": "12345"}}
    too_big = dict(QueueUrl=small, MessageBody="x" * (262_144 - 10), MessageAttributes=with_attribute)
    assert code_of(sqs.send_message, **too_big) == "InvalidParameterValue"

    large = sqs.create_queue(QueueName=unique(), Attributes={"MaximumMessageSize": "1048576"})["QueueUrl"]
    body = "y" * 1_048_576
    sent = sqs.send_message(QueueUrl=large, MessageBody=body)
    assert sent["MD5OfMessageBody"] == md5_of_body(body)
    assert sqs.receive_message(QueueUrl=large)["Messages"][0]["Body"] == body
    assert code_of(sqs.send_message, QueueUrl=large, MessageBody=body + "y") == "InvalidParameterValue"


def test_send_batch_reports_each_entry(sqs, queue):
    entries = [
        {"Id": "ok-1", "MessageBody": "one", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
        {"Id": "bad_chars", "MessageBody": "nul\x00"},
        {"Id": "ok-2", "MessageBody": "two", "DelaySeconds": 0},
        {"Id": "too-late", "MessageBody": "x", "DelaySeconds": 901},
    ]
    result = sqs.send_message_batch(QueueUrl=queue, Entries=entries)
    successful = {entry["Id"]: entry for entry in result["Successful"]}
    assert set(successful) == {"ok-1", "ok-2"}
    assert successful["ok-1"]["MD5OfMessageBody"] == md5_of_body("one")
    assert successful["ok-1"]["MD5OfMessageAttributes"] == md5_of_attributes(entries[0]["MessageAttributes"])
    failed = {entry["Id"]: entry for entry in result["Failed"]}
    assert failed["bad_chars"]["Code"] == "InvalidMessageContents" and failed["bad_chars"]["SenderFault"]
    assert failed["too-late"]["Code"] == "InvalidParameterValue"
    assert sorted(m["Body"] for m in drain(sqs, queue, 2)) == ["one", "two"]


def test_batch_request_errors(sqs, queue):
    def entry(n, body="m"):
        return {"Id": str(n), "MessageBody": body}

    assert code_of(sqs.send_message_batch, QueueUrl=queue, Entries=[]) == "AWS.SimpleQueueService.EmptyBatchRequest"
    eleven = [entry(n) for n in range(11)]
    assert code_of(sqs.send_message_batch, QueueUrl=queue, Entries=eleven) == "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"
    with pytest.raises(sqs.exceptions.BatchEntryIdsNotDistinct) as raised:
        sqs.send_message_batch(QueueUrl=queue, Entries=[entry(1), entry(1)])
    assert error_of(raised.value)[1] == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"
    bad_id = [{"Id": "no spaces", "MessageBody": "m"}]
    assert code_of(sqs.send_message_batch, QueueUrl=queue, Entries=bad_id) == "AWS.SimpleQueueService.InvalidBatchEntryId"
    big = [entry(n, "z" * 200_000) for n in range(6)]
    assert code_of(sqs.send_message_batch, QueueUrl=queue, Entries=big) == "AWS.SimpleQueueService.BatchRequestTooLong"
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    with pytest.raises(sqs.exceptions.BatchEntryIdsNotDistinct):
        sqs.delete_message_batch(QueueUrl=queue, Entries=[{"Id": "a", "ReceiptHandle": "x"}, {"Id": "a", "ReceiptHandle": "y"}])


def test_receive_parameter_ranges(sqs, queue):
    assert code_of(sqs.receive_message, QueueUrl=queue, MaxNumberOfMessages=11) == "InvalidParameterValue"
    assert code_of(sqs.receive_message, QueueUrl=queue, MaxNumberOfMessages=0) == "InvalidParameterValue"
    assert code_of(sqs.receive_message, QueueUrl=queue, WaitTimeSeconds=21) == "InvalidParameterValue"
    assert code_of(sqs.receive_message, QueueUrl=queue, VisibilityTimeout=43_201) == "InvalidParameterValue"


def test_batches_of_ten_are_received_and_deleted_in_batches(sqs, queue):
    sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": f"e{n}", "MessageBody": f"body {n}"} for n in range(10)])
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in messages) == sorted(f"body {n}" for n in range(10))
    entries = [{"Id": f"d{n}", "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages[:9])]
    entries.append({"Id": "forged", "ReceiptHandle": "AQAAAAAAAAABAAAAAAAAAAEAAAAAAAAAAQ=="})
    result = sqs.delete_message_batch(QueueUrl=queue, Entries=entries)
    assert len(result["Successful"]) == 9
    assert [(f["Id"], f["Code"]) for f in result["Failed"]] == [("forged", "ReceiptHandleIsInvalid")]
    sqs.delete_message_batch(QueueUrl=queue, Entries=[{"Id": "last", "ReceiptHandle": messages[9]["ReceiptHandle"]}])
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_per_message_and_queue_delays(sqs):
    queue = sqs.create_queue(QueueName=unique())["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=1)
    sqs.send_message(QueueUrl=queue, MessageBody="now")
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesDelayed"]) == ("1", "1")
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]] == ["now"]
    started = time.monotonic()
    later = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5)["Messages"]
    assert [m["Body"] for m in later] == ["later"]
    assert time.monotonic() - started < 2.5
    assert code_of(sqs.send_message, QueueUrl=queue, MessageBody="x", DelaySeconds=901) == "InvalidParameterValue"

    delayed_queue = sqs.create_queue(QueueName=unique(), Attributes={"DelaySeconds": "1"})["QueueUrl"]
    sqs.send_message(QueueUrl=delayed_queue, MessageBody="queue delay")
    assert "Messages" not in sqs.receive_message(QueueUrl=delayed_queue)
    assert sqs.receive_message(QueueUrl=delayed_queue, WaitTimeSeconds=3)["Messages"][0]["Body"] == "queue delay"


def test_an_undeleted_message_reappears_after_its_visibility_timeout(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="again")
    first = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=1, AttributeNames=["All"])["Messages"][0]
    assert first["Attributes"]["ApproximateReceiveCount"] == "1"
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    assert counts == {"ApproximateNumberOfMessagesNotVisible": "1"}

    started = time.monotonic()
    second = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5, AttributeNames=["All"])["Messages"][0]
    assert 0.5 < time.monotonic() - started < 2.5, "the long poll should return when the timeout ends"
    assert second["MessageId"] == first["MessageId"]
    assert second["Attributes"]["ApproximateReceiveCount"] == "2"
    assert second["Attributes"]["ApproximateFirstReceiveTimestamp"] == first["Attributes"]["ApproximateFirstReceiveTimestamp"]
    assert second["ReceiptHandle"] != first["ReceiptHandle"]

    # The first receipt is stale: deleting with it succeeds, as AWS documents, but keeps the message.
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=first["ReceiptHandle"])
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    assert counts == {"ApproximateNumberOfMessagesNotVisible": "1"}
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=second["ReceiptHandle"])
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=second["ReceiptHandle"])  # deleting twice is fine
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    assert counts == {"ApproximateNumberOfMessagesNotVisible": "0"}


def test_change_message_visibility(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="v")
    message = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=600)["Messages"][0]
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    again = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=1)["Messages"][0]
    assert again["MessageId"] == message["MessageId"]

    # The earlier receipt has expired; after the timeout the message is not in flight.
    assert code_of(sqs.change_message_visibility, QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=5) == (
        "ReceiptHandleIsInvalid"
    )
    time.sleep(1.1)
    with pytest.raises(sqs.exceptions.MessageNotInflight) as raised:
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=5)
    assert error_of(raised.value)[1] == "AWS.SimpleQueueService.MessageNotInflight"

    third = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=30)["Messages"][0]
    result = sqs.change_message_visibility_batch(
        QueueUrl=queue,
        Entries=[
            {"Id": "ok", "ReceiptHandle": third["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "forged", "ReceiptHandle": "bm90IGEgaGFuZGxl", "VisibilityTimeout": 0},
        ],
    )
    assert [s["Id"] for s in result["Successful"]] == ["ok"]
    assert [(f["Id"], f["Code"]) for f in result["Failed"]] == [("forged", "ReceiptHandleIsInvalid")]
    assert sqs.receive_message(QueueUrl=queue)["Messages"][0]["MessageId"] == message["MessageId"]
    too_long = dict(QueueUrl=queue, ReceiptHandle=third["ReceiptHandle"], VisibilityTimeout=43_201)
    assert code_of(sqs.change_message_visibility, **too_long) == "InvalidParameterValue"


def test_forged_and_foreign_receipt_handles_are_invalid(sqs, queue):
    other = sqs.create_queue(QueueName=unique())["QueueUrl"]
    sqs.send_message(QueueUrl=other, MessageBody="elsewhere")
    handle = sqs.receive_message(QueueUrl=other)["Messages"][0]["ReceiptHandle"]
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid):
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=handle)
    raw = bytearray(base64.b64decode(handle))
    raw[10] ^= 0x01
    tampered = base64.b64encode(bytes(raw)).decode()
    for forged in ("garbage", tampered, handle[:-4]):
        assert code_of(sqs.delete_message, QueueUrl=other, ReceiptHandle=forged) == "ReceiptHandleIsInvalid"
    sqs.delete_message(QueueUrl=other, ReceiptHandle=handle)


def test_long_poll_returns_as_soon_as_a_message_arrives(sqs, queue):
    result = {}

    def poll():
        started = time.monotonic()
        result["messages"] = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=10).get("Messages", [])
        result["elapsed"] = time.monotonic() - started

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.5)
    sent_at = time.monotonic()
    sqs.send_message(QueueUrl=queue, MessageBody="wake up")
    poller.join(timeout=15)
    assert [m["Body"] for m in result["messages"]] == ["wake up"]
    assert result["elapsed"] < 2, f"the long poll took {result['elapsed']:.2f}s"
    assert time.monotonic() - sent_at < 1


def test_long_poll_on_an_empty_queue_waits_the_full_time(sqs, queue):
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)
    assert 0.9 < time.monotonic() - started < 3

    waiting = sqs.create_queue(QueueName=unique(), Attributes={"ReceiveMessageWaitTimeSeconds": "1"})["QueueUrl"]
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=waiting)
    assert 0.9 < time.monotonic() - started < 3


def test_aws_cli_sends_and_receives(aws_cli, sqs, queue):
    sent = aws_cli(
        "sqs", "send-message", "--queue-url", queue, "--message-body", "from the cli",
        "--message-attributes", '{"k": {"DataType": "String", "StringValue": "v"}}',
    )
    assert sent["MD5OfMessageBody"] == md5_of_body("from the cli")
    received = aws_cli("sqs", "receive-message", "--queue-url", queue, "--message-attribute-names", "All", "--wait-time-seconds", "1")
    message = received["Messages"][0]
    assert (message["Body"], message["MessageAttributes"]["k"]["StringValue"]) == ("from the cli", "v")
    aws_cli("sqs", "delete-message", "--queue-url", queue, "--receipt-handle", message["ReceiptHandle"])
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
