"""SNS with boto3 and the AWS CLI against a real server: topics, subscriptions, the HTTP/S
confirmation handshake with a local endpoint, Publish/PublishBatch, filter policies,
retries, signatures and the durable outbox."""

import importlib
import json
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError

from expect import error_of
from snskit import Endpoint, subscribe_http, verify_signature

FAST_RETRY = json.dumps({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 2}})


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def sns(client):
    return client("sns")


@pytest.fixture
def hook():
    """A local HTTP endpoint that records what SNS POSTs and confirms subscriptions."""
    server = Endpoint()
    yield server
    server.close()


@pytest.fixture
def topic(sns):
    arn = sns.create_topic(Name=unique())["TopicArn"]
    yield arn
    sns.delete_topic(TopicArn=arn)


# ---------------------------------------------------------------- topics


def test_create_topic_is_idempotent_and_listed(sns):
    name = unique()
    arn = sns.create_topic(Name=name)["TopicArn"]
    assert arn == f"arn:aws:sns:us-east-1:000000000000:{name}"
    assert sns.create_topic(Name=name)["TopicArn"] == arn
    listed = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
    assert arn in listed
    sns.delete_topic(TopicArn=arn)
    with pytest.raises(ClientError) as raised:
        sns.get_topic_attributes(TopicArn=arn)
    assert error_of(raised.value) == (404, "NotFound", "Topic does not exist")


def test_topic_attributes(sns, topic):
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DisplayName", AttributeValue="Orders")
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert attributes["DisplayName"] == "Orders"
    assert attributes["TopicArn"] == topic and attributes["Owner"] == "000000000000"
    assert attributes["SubscriptionsConfirmed"] == "0" and attributes["SubscriptionsPending"] == "0"
    assert json.loads(attributes["Policy"])["Statement"][0]["Resource"] == topic
    assert "FifoTopic" not in attributes
    with pytest.raises(ClientError) as raised:
        sns.set_topic_attributes(TopicArn=topic, AttributeName="Nonsense", AttributeValue="x")
    assert error_of(raised.value)[:2] == (400, "InvalidParameter")


def test_fifo_topic(sns):
    name = unique() + ".fifo"
    arn = sns.create_topic(Name=name, Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    try:
        attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        assert attributes["FifoTopic"] == "true" and attributes["ContentBasedDeduplication"] == "true"
        with pytest.raises(ClientError) as raised:
            sns.publish(TopicArn=arn, Message="no group")
        assert error_of(raised.value)[1] == "InvalidParameter"
        first = sns.publish(TopicArn=arn, Message="m", MessageGroupId="g")
        again = sns.publish(TopicArn=arn, Message="m", MessageGroupId="g")
        other = sns.publish(TopicArn=arn, Message="n", MessageGroupId="g")
        assert first["MessageId"] == again["MessageId"] and first["SequenceNumber"] == again["SequenceNumber"]
        assert int(other["SequenceNumber"]) > int(first["SequenceNumber"])
    finally:
        sns.delete_topic(TopicArn=arn)
    with pytest.raises(ClientError) as raised:
        sns.create_topic(Name=unique(), Attributes={"FifoTopic": "true"})
    assert error_of(raised.value)[1] == "InvalidParameter"


def test_invalid_topic_names(sns):
    for name in ["", "has space", "x" * 257]:
        with pytest.raises(ClientError) as raised:
            sns.create_topic(Name=name)
        assert error_of(raised.value)[:2] == (400, "InvalidParameter"), name


def test_tags(sns, topic):
    sns.tag_resource(ResourceArn=topic, Tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}])
    sns.untag_resource(ResourceArn=topic, TagKeys=["env"])
    assert sns.list_tags_for_resource(ResourceArn=topic)["Tags"] == [{"Key": "team", "Value": "a"}]


def test_aws_cli_round_trip(aws_cli):
    name = unique("cli")
    arn = aws_cli("sns", "create-topic", "--name", name)["TopicArn"]
    assert arn.endswith(":" + name)
    assert arn in [t["TopicArn"] for t in aws_cli("sns", "list-topics")["Topics"]]
    published = aws_cli("sns", "publish", "--topic-arn", arn, "--message", "from the cli")
    assert published["MessageId"]
    aws_cli("sns", "delete-topic", "--topic-arn", arn)


# ---------------------------------------------------------------- HTTP subscriptions


def test_http_handshake_and_notification(sns, topic, hook):
    response = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=hook.url("/hook"))
    assert response["SubscriptionArn"] == "pending confirmation"
    received = hook.wait_for(lambda items: any(i.message_type == "SubscriptionConfirmation" for i in items))
    confirmation = received[0]
    assert confirmation.headers["x-amz-sns-topic-arn"] == topic
    assert confirmation.headers["content-type"].startswith("text/plain")
    body = confirmation.json
    assert body["Type"] == "SubscriptionConfirmation" and body["TopicArn"] == topic and body["Token"]
    assert "Action=ConfirmSubscription" in body["SubscribeURL"]
    # The endpoint fetched SubscribeURL with a plain GET, as subscribers do on AWS.
    deadline = time.monotonic() + 5
    while not hook.confirmations and time.monotonic() < deadline:
        time.sleep(0.05)
    status, text = hook.confirmations[0]
    assert status == 200 and "<SubscriptionArn>" in text
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert len(subscriptions) == 1 and subscriptions[0]["SubscriptionArn"].startswith(topic + ":")
    arn = subscriptions[0]["SubscriptionArn"]

    message_id = sns.publish(
        TopicArn=topic,
        Message="hello",
        Subject="greeting",
        MessageAttributes={"color": {"DataType": "String", "StringValue": "red"}},
    )["MessageId"]
    hook.wait_for(lambda items: len(hook.notifications()) == 1)
    notification = hook.notifications()[0]
    assert notification.headers["x-amz-sns-message-type"] == "Notification"
    assert notification.headers["x-amz-sns-message-id"] == message_id
    assert notification.headers["x-amz-sns-subscription-arn"] == arn
    envelope = notification.json
    assert list(envelope)[:2] == ["Type", "MessageId"]
    assert envelope["Message"] == "hello" and envelope["Subject"] == "greeting" and envelope["TopicArn"] == topic
    assert envelope["MessageAttributes"] == {"color": {"Type": "String", "Value": "red"}}
    assert envelope["SignatureVersion"] == "1" and envelope["Signature"]
    assert envelope["Timestamp"].endswith("Z") and "." in envelope["Timestamp"]

    # The UnsubscribeURL works with a GET too.
    with urllib.request.urlopen(envelope["UnsubscribeURL"], timeout=10) as response:
        assert response.status == 200
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []


def test_raw_delivery_and_message_structure(sns, topic, hook):
    subscribe_http(sns, topic, hook, "/raw", {"RawMessageDelivery": "true"})
    sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"default": "plain", "http": "for http"}))
    hook.wait_for(lambda items: len(hook.notifications("/raw")) == 1)
    raw = hook.notifications("/raw")[0]
    assert raw.body == "for http"
    assert raw.headers.get("x-amz-sns-rawdelivery") == "true"
    with pytest.raises(ClientError) as raised:
        sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"http": "x"}))
    assert error_of(raised.value) == (400, "InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON message body")


# AWS's documented filter policy examples, against attribute sets (which messages each policy lets through).
FILTER_MESSAGES = {
    "red-cheap": {"color": ("String", "red"), "price": ("Number", "10"), "store": ("String", "example_corp")},
    "blue-dear": {"color": ("String", "blue"), "price": ("Number", "250"), "store": ("String", "other_corp")},
    "interests": {"interests": ("String.Array", '["soccer", "rugby"]'), "price": ("Number", "150")},
    "bare": {},
}
FILTER_POLICIES = [
    ({"color": ["red"]}, {"red-cheap"}),
    ({"color": [{"anything-but": ["red"]}]}, {"blue-dear"}),
    ({"price": [{"numeric": [">=", 100, "<", 300]}]}, {"blue-dear", "interests"}),
    ({"store": [{"prefix": "example"}]}, {"red-cheap"}),
    ({"store": [{"suffix": "_corp"}], "color": [{"equals-ignore-case": "BLUE"}]}, {"blue-dear"}),
    ({"interests": ["rugby", "tennis"]}, {"interests"}),
    ({"color": [{"exists": False}]}, {"interests", "bare"}),
    ({"$or": [{"color": ["blue"]}, {"interests": [{"exists": True}]}]}, {"blue-dear", "interests"}),
]


def test_filter_policies_on_message_attributes(sns, topic, hook):
    for index, (policy, _) in enumerate(FILTER_POLICIES):
        subscribe_http(sns, topic, hook, f"/p{index}", {"FilterPolicy": json.dumps(policy)})
    for name, attributes in FILTER_MESSAGES.items():
        sns.publish(
            TopicArn=topic,
            Message=name,
            MessageAttributes={k: {"DataType": t, "StringValue": v} for k, (t, v) in attributes.items()},
        )
    expected_total = sum(len(matches) for _, matches in FILTER_POLICIES)
    hook.wait_for(lambda items: len(hook.notifications()) >= expected_total)
    time.sleep(0.3)  # nothing else may arrive
    for index, (policy, matches) in enumerate(FILTER_POLICIES):
        got = {n.json["Message"] for n in hook.notifications(f"/p{index}")}
        assert got == matches, f"policy {policy}"


def test_filter_policy_on_message_body(sns, topic, hook):
    subscribe_http(
        sns,
        topic,
        hook,
        "/body",
        {"FilterPolicyScope": "MessageBody", "FilterPolicy": json.dumps({"order": {"status": ["paid"], "total": [{"numeric": [">", 50]}]}})},
    )
    for body in [{"order": {"status": "paid", "total": 80}}, {"order": {"status": "paid", "total": 20}}, {"order": {"status": "new", "total": 99}}]:
        sns.publish(TopicArn=topic, Message=json.dumps(body))
    sns.publish(TopicArn=topic, Message="not json")
    hook.wait_for(lambda items: len(hook.notifications("/body")) >= 1)
    time.sleep(0.3)
    assert [json.loads(n.json["Message"]) for n in hook.notifications("/body")] == [{"order": {"status": "paid", "total": 80}}]


@pytest.mark.parametrize(
    "policy, message",
    [
        ("{", "Invalid parameter: FilterPolicy: failed to parse JSON"),
        ('{"a": []}', "Invalid parameter: FilterPolicy: Empty arrays are not allowed"),
        ('{"a": [{"bogus": 1}]}', "Invalid parameter: FilterPolicy: Unrecognized match type bogus"),
        ('{"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]}', "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys"),
        (json.dumps({"a": list(range(10)), "b": list(range(10)), "c": [1, 2]}), "Invalid parameter: FilterPolicy: Filter policy is too complex"),
    ],
)
def test_malformed_filter_policies_are_invalid_parameter(sns, topic, policy, message):
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:nowhere", ReturnSubscriptionArn=True)[
        "SubscriptionArn"
    ]
    with pytest.raises(ClientError) as raised:
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=policy)
    status, code, text = error_of(raised.value)
    assert (status, code) == (400, "InvalidParameter") and text.startswith(message)


def test_publish_batch(sns, topic, hook):
    subscribe_http(sns, topic, hook, "/batch")
    result = sns.publish_batch(
        TopicArn=topic,
        PublishBatchRequestEntries=[{"Id": "a", "Message": "one"}, {"Id": "b", "Message": ""}, {"Id": "c", "Message": "three"}],
    )
    assert [e["Id"] for e in result["Successful"]] == ["a", "c"]
    assert [(e["Id"], e["Code"], e["SenderFault"]) for e in result["Failed"]] == [("b", "InvalidParameter", True)]
    hook.wait_for(lambda items: len(hook.notifications("/batch")) == 2)
    for entries, code in [
        ([{"Id": "x", "Message": "1"}, {"Id": "x", "Message": "2"}], "BatchEntryIdsNotDistinct"),
        ([{"Id": f"e{i}", "Message": "m"} for i in range(11)], "TooManyEntriesInBatchRequest"),
        ([{"Id": "a", "Message": "x" * 200_000}, {"Id": "b", "Message": "x" * 70_000}], "BatchRequestTooLong"),
    ]:
        with pytest.raises(ClientError) as raised:
            sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)
        assert error_of(raised.value)[1] == code


def test_message_size_limit(sns, topic):
    sns.publish(TopicArn=topic, Message="x" * 262_144)
    with pytest.raises(ClientError) as raised:
        sns.publish(TopicArn=topic, Message="x" * 262_145)
    assert error_of(raised.value) == (400, "InvalidParameter", "Invalid parameter: Message too long")
    with pytest.raises(ClientError) as raised:
        sns.publish(TopicArn=topic, Message="m", MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}})
    assert error_of(raised.value)[1] == "ParameterValueInvalid"


def test_failing_endpoint_is_retried_per_delivery_policy(sns, topic, hook):
    subscribe_http(sns, topic, hook, "/down", {"DeliveryPolicy": FAST_RETRY})
    hook.status["/down"] = 500
    started = time.monotonic()
    sns.publish(TopicArn=topic, Message="retry me")
    hook.wait_for(lambda items: len(hook.notifications("/down")) == 3, timeout=15)
    elapsed = time.monotonic() - started
    time.sleep(1.5)
    assert len(hook.notifications("/down")) == 3, "numRetries 2 means three attempts in all"
    assert elapsed >= 1.5, f"the retries were not spaced by minDelayTarget (took {elapsed:.2f}s)"
    ids = {n.headers["x-amz-sns-message-id"] for n in hook.notifications("/down")}
    assert len(ids) == 1


def test_recovering_endpoint_gets_the_message(sns, topic, hook):
    subscribe_http(sns, topic, hook, "/flaky", {"DeliveryPolicy": FAST_RETRY})
    hook.status["/flaky"] = 503
    sns.publish(TopicArn=topic, Message="eventually")
    hook.wait_for(lambda items: len(hook.notifications("/flaky")) == 1)
    hook.status["/flaky"] = 200
    hook.wait_for(lambda items: len(hook.notifications("/flaky")) == 2, timeout=10)
    time.sleep(1.5)
    assert len(hook.notifications("/flaky")) == 2


def test_publish_errors(sns, topic):
    cases = [
        (dict(TopicArn=topic, Message=""), "Invalid parameter: Empty message"),
        (dict(Message="x"), "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"),
        (dict(TopicArn=topic, Message="x", MessageDeduplicationId="d"), None),
        (dict(PhoneNumber="+15555550100", Message="x"), None),
    ]
    for arguments, message in cases:
        with pytest.raises(ClientError) as raised:
            sns.publish(**arguments)
        status, code, text = error_of(raised.value)
        assert (status, code) == (400, "InvalidParameter"), arguments
        if message:
            assert text == message
    with pytest.raises(ClientError) as raised:
        sns.publish(TopicArn=topic + "-missing", Message="x")
    assert error_of(raised.value)[:2] == (404, "NotFound")


# ---------------------------------------------------------------- signatures and durability


def signing_certificate(envelope, data_dir):
    """The certificate at SigningCertURL; until the edge serves it, the one in the server's store."""
    try:
        with urllib.request.urlopen(envelope["SigningCertURL"], timeout=5) as response:
            if response.status == 200:
                return response.read().decode(), "SigningCertURL"
    except urllib.error.HTTPError:
        pass
    with sqlite3.connect(f"file:{data_dir}/nimbus.sqlite?mode=ro", uri=True) as db:
        return db.execute("SELECT certificate FROM sns_signing_keys WHERE id = 1").fetchone()[0], "the store"


def require_cryptography():
    """python's `cryptography` verifies the signatures; installed from PyPI when missing, else the test skips."""
    try:
        import cryptography  # noqa: F401
        return
    except ImportError:
        pass
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "cryptography"], capture_output=True, text=True, timeout=180
    )
    if result.returncode != 0:
        pytest.skip(f"python's cryptography package is missing and could not be installed: {result.stderr.strip()[-300:]}")
    importlib.invalidate_caches()


@pytest.mark.parametrize("version", ["1", "2"])
def test_envelopes_are_signed_with_the_served_certificate(start_server, client, version):
    require_cryptography()
    server = start_server()
    sns = client("sns", endpoint=server.endpoint)
    endpoint = Endpoint()
    try:
        topic = sns.create_topic(Name=unique(), Attributes={"SignatureVersion": version})["TopicArn"]
        subscribe_http(sns, topic, endpoint, "/signed")
        sns.publish(TopicArn=topic, Message="signed\nmessage", Subject="s")
        endpoint.wait_for(lambda items: len(endpoint.notifications("/signed")) == 1)
        envelope = endpoint.notifications("/signed")[0].json
        confirmation = next(r.json for r in endpoint.received if r.message_type == "SubscriptionConfirmation")
        assert envelope["SignatureVersion"] == version
        certificate, source = signing_certificate(envelope, server.data_dir)
        print(f"certificate read from {source}")
        verify_signature(envelope, certificate)
        verify_signature(confirmation, certificate)
        tampered = dict(envelope, Message="changed")
        with pytest.raises(Exception):
            verify_signature(tampered, certificate)
    finally:
        endpoint.close()


def test_pending_deliveries_survive_kill_9(start_server, client, tmp_path):
    server = start_server()
    sns = client("sns", endpoint=server.endpoint)
    endpoint = Endpoint()
    try:
        topic = sns.create_topic(Name=unique())["TopicArn"]
        policy = json.dumps({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 50}})
        subscribe_http(sns, topic, endpoint, "/later", {"DeliveryPolicy": policy})
        endpoint.status["/later"] = 500
        message_id = sns.publish(TopicArn=topic, Message="survives")["MessageId"]
        endpoint.wait_for(lambda items: len(endpoint.notifications("/later")) >= 1)
        server.process.kill()  # SIGKILL: the pending delivery must already be in the store
        server.process.wait()
        failed_attempts = len(endpoint.notifications("/later"))
        endpoint.status["/later"] = 200
        restarted = start_server(data_dir=server.data_dir)
        # Every attempt before the kill failed; the restarted server delivers the same message, once.
        endpoint.wait_for(lambda items: len(endpoint.notifications("/later")) > failed_attempts, timeout=15)
        time.sleep(1.5)
        after = endpoint.notifications("/later")[failed_attempts:]
        assert [n.headers["x-amz-sns-message-id"] for n in after] == [message_id]
        assert restarted.is_running()
    finally:
        endpoint.close()
