"""SQS FIFO queues (order per group, blocked groups, deduplication, sequence numbers) and
dead-letter queues (redrive after maxReceiveCount, ListDeadLetterSourceQueues, message move
tasks back to the source) with boto3."""

import json
import time

import pytest

from expect import code_of
from sqskit import drain, unique


@pytest.fixture(scope="module")
def sqs(client):
    return client("sqs")



def fifo_queue(sqs, **attributes):
    return sqs.create_queue(QueueName=unique(fifo=True), Attributes={"FifoQueue": "true", **attributes})["QueueUrl"]


def arn_of(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def test_fifo_keeps_order_per_group_and_blocks_a_group_in_flight(sqs):
    queue = fifo_queue(sqs)
    sequence_numbers = []
    for n in range(4):
        sent = sqs.send_message(QueueUrl=queue, MessageBody=f"a{n}", MessageGroupId="a", MessageDeduplicationId=f"a{n}")
        sequence_numbers.append(int(sent["SequenceNumber"]))
    sqs.send_message(QueueUrl=queue, MessageBody="b0", MessageGroupId="b", MessageDeduplicationId="b0")
    assert sequence_numbers == sorted(sequence_numbers) and len(set(sequence_numbers)) == 4

    first = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=2, AttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in first] == ["a0", "a1"]
    assert first[0]["Attributes"]["MessageGroupId"] == "a"
    assert first[0]["Attributes"]["MessageDeduplicationId"] == "a0"
    assert int(first[0]["Attributes"]["SequenceNumber"]) == sequence_numbers[0]
    # Group a is blocked while a0 and a1 are in flight; only b is receivable.
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]] == ["b0"]
    assert "Messages" not in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)
    for message in first:
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]] == ["a2", "a3"]


def test_fifo_redelivers_in_order_after_the_visibility_timeout(sqs):
    queue = fifo_queue(sqs, ContentBasedDeduplication="true")
    sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": f"m{n}", "MessageBody": f"m{n}", "MessageGroupId": "g"} for n in range(3)])
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=2, VisibilityTimeout=1)["Messages"]] == ["m0", "m1"]
    again = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=5)["Messages"]
    assert [m["Body"] for m in again] == ["m0", "m1", "m2"]


def test_deduplication_by_id_and_by_content(sqs):
    by_id = fifo_queue(sqs)
    first = sqs.send_message(QueueUrl=by_id, MessageBody="one", MessageGroupId="g", MessageDeduplicationId="same")
    second = sqs.send_message(QueueUrl=by_id, MessageBody="two", MessageGroupId="g", MessageDeduplicationId="same")
    assert second["MessageId"] == first["MessageId"] and second["SequenceNumber"] == first["SequenceNumber"]
    assert [m["Body"] for m in drain(sqs, by_id, 1, timeout=1.5)] == ["one"]

    by_content = fifo_queue(sqs, ContentBasedDeduplication="true")
    sqs.send_message(QueueUrl=by_content, MessageBody="same body", MessageGroupId="g")
    sqs.send_message(QueueUrl=by_content, MessageBody="same body", MessageGroupId="other")
    sqs.send_message(QueueUrl=by_content, MessageBody="new body", MessageGroupId="g")
    messages = drain(sqs, by_content, 2, timeout=1.5, AttributeNames=["MessageDeduplicationId"])
    assert sorted(m["Body"] for m in messages) == ["new body", "same body"]
    import hashlib

    hashed = {m["Body"]: m["Attributes"]["MessageDeduplicationId"] for m in messages}
    assert hashed["same body"] == hashlib.sha256(b"same body").hexdigest()

    per_group = fifo_queue(sqs, DeduplicationScope="messageGroup")
    for group in ("a", "b"):
        sqs.send_message(QueueUrl=per_group, MessageBody=group, MessageGroupId=group, MessageDeduplicationId="d")
    assert len(drain(sqs, per_group, 2, timeout=1.5)) == 2


def test_fifo_sends_need_a_group_and_a_deduplication_id(sqs):
    queue = fifo_queue(sqs)
    assert code_of(sqs.send_message, QueueUrl=queue, MessageBody="x", MessageDeduplicationId="d") == "MissingParameter"
    assert code_of(sqs.send_message, QueueUrl=queue, MessageBody="x", MessageGroupId="g") == "InvalidParameterValue"
    delayed = dict(QueueUrl=queue, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d", DelaySeconds=5)
    assert code_of(sqs.send_message, **delayed) == "InvalidParameterValue"
    result = sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": "no-group", "MessageBody": "x", "MessageDeduplicationId": "d"}])
    assert [(f["Id"], f["Code"]) for f in result["Failed"]] == [("no-group", "MissingParameter")]

    standard = sqs.create_queue(QueueName=unique())["QueueUrl"]
    assert code_of(sqs.send_message, QueueUrl=standard, MessageBody="x", MessageDeduplicationId="d") == "InvalidParameterValue"


def dead_letter_pair(sqs, max_receive_count=1):
    dlq = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
    policy = json.dumps({"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": str(max_receive_count)})
    source = sqs.create_queue(QueueName=unique("src"), Attributes={"RedrivePolicy": policy, "VisibilityTimeout": "1"})["QueueUrl"]
    return source, dlq


def test_a_message_moves_to_the_dead_letter_queue_on_the_receive_past_max_receive_count(sqs):
    source, dlq = dead_letter_pair(sqs, max_receive_count=2)
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison")
    for attempt in (1, 2):
        message = sqs.receive_message(QueueUrl=source, WaitTimeSeconds=3, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
        assert message["Attributes"]["ApproximateReceiveCount"] == str(attempt)
    # The third receive would exceed maxReceiveCount 2: the message goes to the DLQ instead.
    time.sleep(1.05)
    assert "Messages" not in sqs.receive_message(QueueUrl=source)
    moved = sqs.receive_message(QueueUrl=dlq, MessageSystemAttributeNames=["All"])["Messages"][0]
    assert (moved["MessageId"], moved["Body"]) == (sent["MessageId"], "poison")
    assert moved["Attributes"]["DeadLetterQueueSourceArn"] == arn_of(sqs, source)

    policy = json.loads(sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
    assert policy == {"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": 2}
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [source]


def test_redrive_policies_are_validated(sqs):
    missing = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:" + unique("none"), "maxReceiveCount": 3})
    assert code_of(sqs.create_queue, QueueName=unique(), Attributes={"RedrivePolicy": missing}) == "InvalidParameterValue"
    dlq = sqs.create_queue(QueueName=unique())["QueueUrl"]
    for count in (0, 1001):
        policy = json.dumps({"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": count})
        assert code_of(sqs.create_queue, QueueName=unique(), Attributes={"RedrivePolicy": policy}) == "InvalidParameterValue"
    fifo_dlq = fifo_queue(sqs)
    mixed = json.dumps({"deadLetterTargetArn": arn_of(sqs, fifo_dlq), "maxReceiveCount": 3})
    assert code_of(sqs.create_queue, QueueName=unique(), Attributes={"RedrivePolicy": mixed}) == "InvalidParameterValue"
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "denyAll"})})
    denied = json.dumps({"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": 3})
    assert code_of(sqs.create_queue, QueueName=unique(), Attributes={"RedrivePolicy": denied}) == "InvalidParameterValue"
    bad_allow = json.dumps({"redrivePermission": "byQueue"})
    assert code_of(sqs.set_queue_attributes, QueueUrl=dlq, Attributes={"RedriveAllowPolicy": bad_allow}) == "InvalidParameterValue"


def test_a_move_task_redrives_the_dead_letter_queue_back_to_its_source(sqs):
    source, dlq = dead_letter_pair(sqs)
    sqs.send_message_batch(QueueUrl=source, Entries=[{"Id": str(n), "MessageBody": f"m{n}"} for n in range(3)])
    assert len(drain(sqs, source, 3)) == 3
    time.sleep(1.05)
    assert "Messages" not in sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10)  # the receive that moves them
    counts = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert counts == {"ApproximateNumberOfMessages": "3"}

    dlq_arn = arn_of(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
    assert code_of(sqs.start_message_move_task, SourceArn=dlq_arn) == "InvalidParameterValue"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        task = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        if task["Status"] != "RUNNING":
            break
        time.sleep(0.2)
    assert task["Status"] == "COMPLETED", task
    assert (task["ApproximateNumberOfMessagesMoved"], task["ApproximateNumberOfMessagesToMove"]) == (3, 3)
    assert task["SourceArn"] == dlq_arn and "TaskHandle" not in task
    assert code_of(sqs.cancel_message_move_task, TaskHandle=handle) == "AWS.SimpleQueueService.UnsupportedOperation"

    back = drain(sqs, source, 3, AttributeNames=["ApproximateReceiveCount"])
    assert sorted(m["Body"] for m in back) == ["m0", "m1", "m2"]
    assert {m["Attributes"]["ApproximateReceiveCount"] for m in back} == {"1"}


def test_move_task_to_a_destination_and_cancel(sqs):
    source, dlq = dead_letter_pair(sqs)
    destination = sqs.create_queue(QueueName=unique("dest"))["QueueUrl"]
    sqs.send_message_batch(QueueUrl=source, Entries=[{"Id": str(n), "MessageBody": f"m{n}"} for n in range(10)])
    assert len(drain(sqs, source, 10)) == 10
    time.sleep(1.05)
    sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10)
    dlq_arn = arn_of(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, destination), MaxNumberOfMessagesPerSecond=1)[
        "TaskHandle"
    ]
    running = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"][0]
    assert running["Status"] == "RUNNING" and running["TaskHandle"] == handle and running["MaxNumberOfMessagesPerSecond"] == 1
    time.sleep(1.2)
    moved = sqs.cancel_message_move_task(TaskHandle=handle)["ApproximateNumberOfMessagesMoved"]
    assert 0 <= moved < 10
    assert sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]["Status"] == "CANCELLED"
    counts = sqs.get_queue_attributes(QueueUrl=destination, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert counts == {"ApproximateNumberOfMessages": str(moved)}

    not_a_dlq = sqs.create_queue(QueueName=unique())["QueueUrl"]
    assert code_of(sqs.start_message_move_task, SourceArn=arn_of(sqs, not_a_dlq)) == "InvalidParameterValue"
    missing = "arn:aws:sqs:us-east-1:000000000000:" + unique("none")
    assert code_of(sqs.start_message_move_task, SourceArn=missing) == "ResourceNotFoundException"
