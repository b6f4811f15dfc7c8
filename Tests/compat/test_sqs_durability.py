"""SQS durability: what SendMessage, ReceiveMessage, DeleteMessage and
ChangeMessageVisibility acknowledged survives `kill -9` of the server and a restart."""

import json
import signal
import time


from sqskit import drain, drain_all, unique


def test_acknowledged_changes_survive_kill_9(start_server, client):
    server = start_server()
    sqs = client("sqs", endpoint=server.endpoint)
    dlq = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})
    queue = sqs.create_queue(QueueName=unique(), Attributes={"VisibilityTimeout": "300", "RedrivePolicy": policy}, tags={"k": "v"})[
        "QueueUrl"
    ]
    fifo = sqs.create_queue(QueueName=unique(fifo=True), Attributes={"FifoQueue": "true"})["QueueUrl"]

    sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(n), "MessageBody": f"m{n}"} for n in range(6)])
    sqs.send_message(QueueUrl=queue, MessageBody="with attributes", MessageAttributes={"a": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=3)["Messages"]  # in flight for 300 s
    deleted, hidden, released = received
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=deleted["ReceiptHandle"])
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=released["ReceiptHandle"], VisibilityTimeout=0)
    first = sqs.send_message(QueueUrl=fifo, MessageBody="f", MessageGroupId="g", MessageDeduplicationId="once")

    server.signal(signal.SIGKILL)
    assert server.wait(10) is not None
    restarted = start_server(data_dir=server.data_dir)
    sqs = client("sqs", endpoint=restarted.endpoint)
    queue = queue.replace(server.endpoint, restarted.endpoint)
    fifo = fifo.replace(server.endpoint, restarted.endpoint)

    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "5"  # 7 sent, 1 deleted, 1 still in flight
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1"
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"] == 5
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {"k": "v"}

    messages = drain(sqs, queue, 5, MessageAttributeNames=["All"], AttributeNames=["ApproximateReceiveCount"])
    bodies = {m["Body"] for m in messages}
    assert deleted["Body"] not in bodies and hidden["Body"] not in bodies
    assert released["Body"] in bodies
    counts = {m["Body"]: m["Attributes"]["ApproximateReceiveCount"] for m in messages}
    assert counts[released["Body"]] == "2"
    assert next(m for m in messages if m["Body"] == "with attributes")["MessageAttributes"]["a"]["BinaryValue"] == b"\x00\x01"

    # The receipt issued before the crash still works: the in-flight message can be deleted.
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=hidden["ReceiptHandle"])
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "5"

    # FIFO deduplication and sequence numbers carry over.
    again = sqs.send_message(QueueUrl=fifo, MessageBody="f", MessageGroupId="g", MessageDeduplicationId="once")
    assert again["MessageId"] == first["MessageId"]
    later = sqs.send_message(QueueUrl=fifo, MessageBody="g", MessageGroupId="g", MessageDeduplicationId="twice")
    assert int(later["SequenceNumber"]) > int(first["SequenceNumber"])
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10)["Messages"]] == ["f", "g"]


def test_every_acknowledged_send_survives_a_kill_in_the_middle_of_a_load(start_server, client):
    """Concurrent senders are cut off by `kill -9`: every send that was answered is there after
    the restart (a send that was not answered may or may not be)."""
    import threading

    server = start_server()
    sqs = client("sqs", endpoint=server.endpoint)
    queue = sqs.create_queue(QueueName=unique())["QueueUrl"]
    acknowledged = []
    lock = threading.Lock()

    def sender(worker):
        own = client("sqs", endpoint=server.endpoint)
        for n in range(10_000):
            try:
                own.send_message(QueueUrl=queue, MessageBody=f"{worker}-{n}")
            except Exception:
                return
            with lock:
                acknowledged.append(f"{worker}-{n}")

    threads = [threading.Thread(target=sender, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    server.signal(signal.SIGKILL)
    server.wait(10)
    for thread in threads:
        thread.join(timeout=20)
    with lock:
        answered = set(acknowledged)
    assert len(answered) > 20, "the load should have been running when the server was killed"

    restarted = start_server(data_dir=server.data_dir)
    sqs = client("sqs", endpoint=restarted.endpoint)
    queue = queue.replace(server.endpoint, restarted.endpoint)
    bodies = {m["Body"] for m in drain_all(sqs, queue, VisibilityTimeout=60)}
    assert answered <= bodies, f"{len(answered - bodies)} acknowledged sends were lost"
