"""SNS fan-out to SQS queues and Lambda functions through the server's dispatcher, with
boto3 as a user would: subscribe, publish, then read the queue or the function's logs.

These need the SQS service and the Lambda dispatch handler in the same server; where they
are not there yet, the tests skip and say why (set NIMBUS_SNS_REQUIRE_TARGETS=1 to make
that a failure instead)."""

import json
import os
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from lambdakit import create_function, make_zip
from snskit import Endpoint, subscribe_http

REQUIRE = os.environ.get("NIMBUS_SNS_REQUIRE_TARGETS") == "1"


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def missing(reason):
    if REQUIRE:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def sns(client):
    return client("sns")


@pytest.fixture(scope="module")
def sqs(client):
    sqs = client("sqs")
    try:
        url = sqs.create_queue(QueueName=unique("probe"))["QueueUrl"]
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 501:
            missing("this server does not implement SQS yet (CreateQueue answered 501)")
        raise
    sqs.delete_queue(QueueUrl=url)
    return sqs


def make_queue(sqs, fifo=False):
    name = unique("q") + (".fifo" if fifo else "")
    attributes = {"FifoQueue": "true"} if fifo else {}
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def receive(sqs, url, count, timeout=10):
    """Up to `count` messages, long-polling until `timeout`; deletes what it read."""
    messages = []
    deadline = time.monotonic() + timeout
    while len(messages) < count and time.monotonic() < deadline:
        got = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"], AttributeNames=["All"]
        ).get("Messages", [])
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        messages += got
    return messages


def test_sqs_subscriber_gets_the_envelope(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, arn = make_queue(sqs)
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert subscription.startswith(topic + ":")
    message_id = sns.publish(
        TopicArn=topic, Message="to the queue", Subject="s", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}}
    )["MessageId"]
    [message] = receive(sqs, url, 1)
    envelope = json.loads(message["Body"])
    assert envelope["Type"] == "Notification" and envelope["MessageId"] == message_id
    assert envelope["Message"] == "to the queue" and envelope["Subject"] == "s" and envelope["TopicArn"] == topic
    assert envelope["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    assert envelope["UnsubscribeURL"] and envelope["SigningCertURL"] and envelope["Signature"]


def test_sqs_raw_delivery_carries_attributes(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, arn = make_queue(sqs)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    sns.publish(TopicArn=topic, Message="raw body", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
    [message] = receive(sqs, url, 1)
    assert message["Body"] == "raw body"
    assert message["MessageAttributes"]["k"] == {"DataType": "String", "StringValue": "v"}


def test_sqs_filter_policy(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, arn = make_queue(sqs)
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps({"kind": ["order"]}), "RawMessageDelivery": "true"},
    )
    sns.publish(TopicArn=topic, Message="skip", MessageAttributes={"kind": {"DataType": "String", "StringValue": "refund"}})
    sns.publish(TopicArn=topic, Message="keep", MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}})
    messages = receive(sqs, url, 2, timeout=4)
    assert [m["Body"] for m in messages] == ["keep"]


def test_fifo_topic_to_fifo_queue_keeps_order_and_group(sns, sqs):
    topic = sns.create_topic(Name=unique() + ".fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    url, arn = make_queue(sqs, fifo=True)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    for index in range(5):
        sns.publish(TopicArn=topic, Message=f"m{index}", MessageGroupId="g", MessageDeduplicationId=f"d{index}")
    sns.publish(TopicArn=topic, Message="m0 again", MessageGroupId="g", MessageDeduplicationId="d0")
    messages = receive(sqs, url, 5)
    assert [m["Body"] for m in messages] == [f"m{i}" for i in range(5)]
    assert {m["Attributes"]["MessageGroupId"] for m in messages} == {"g"}


def test_failed_http_deliveries_go_to_the_dead_letter_queue(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, arn = make_queue(sqs)
    endpoint = Endpoint()
    try:
        policy = json.dumps({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 1}})
        subscribe_http(sns, topic, endpoint, "/down", {"DeliveryPolicy": policy, "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn})})
        endpoint.status["/down"] = 500
        message_id = sns.publish(TopicArn=topic, Message="undeliverable")["MessageId"]
        [message] = receive(sqs, url, 1, timeout=10)
        assert json.loads(message["Body"])["MessageId"] == message_id
        assert len(endpoint.notifications("/down")) == 2
    finally:
        endpoint.close()


# ---------------------------------------------------------------- Lambda

RECORDER = """
import json

def handler(event, context):
    print("SNS-EVENT " + json.dumps(event))
    return {}
"""


def test_lambda_subscriber_is_invoked_with_the_sns_event(sns, client):
    lam, logs = client("lambda"), client("logs")
    name = unique("sns-recorder")
    function = create_function(lam, name, make_zip({"app.py": RECORDER}))["FunctionArn"]
    try:
        topic = sns.create_topic(Name=unique())["TopicArn"]
        subscription = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function, ReturnSubscriptionArn=True)["SubscriptionArn"]
        message_id = sns.publish(
            TopicArn=topic, Message="to the function", MessageAttributes={"k": {"DataType": "Number", "StringValue": "7"}}
        )["MessageId"]
        event = None
        deadline = time.monotonic() + 10
        while event is None and time.monotonic() < deadline:
            try:
                found = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}", filterPattern='"SNS-EVENT"')["events"]
            except ClientError:
                found = []
            for item in found:
                event = json.loads(item["message"].split("SNS-EVENT ", 1)[1])
            time.sleep(0.3)
        if event is None:
            missing("no invocation within 10 s: this server's dispatcher has no lambda handler yet")
        [record] = event["Records"]
        assert record["EventSource"] == "aws:sns" and record["EventVersion"] == "1.0"
        assert record["EventSubscriptionArn"] == subscription
        assert record["Sns"]["MessageId"] == message_id and record["Sns"]["Message"] == "to the function"
        assert record["Sns"]["Subject"] is None
        assert record["Sns"]["MessageAttributes"] == {"k": {"Type": "Number", "Value": "7"}}
    finally:
        lam.delete_function(FunctionName=name)
