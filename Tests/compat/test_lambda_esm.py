"""SQS → Lambda event source mappings through boto3: the control plane and its states, a
poller that invokes the function with AWS's SQS event in batches, deletes what succeeded,
honours ReportBatchItemFailures, and leaves failures to the queue's redrive policy."""

import json
import subprocess
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from expect import error_of
from lambdakit import create_function, function_arn, make_zip

CONSUMER = """
import json
def handler(event, context):
    failures = []
    for record in event["Records"]:
        print("got", json.dumps({"body": record["body"], "receives": record["attributes"]["ApproximateReceiveCount"],
                                 "source": record["eventSource"], "batch": len(event["Records"])}))
        if "fail" in record["body"]:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"""


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def sqs(client):
    return client("sqs")


@pytest.fixture
def logs(client):
    return client("logs")


def queue_arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def got(logs, function):
    try:
        events = logs.filter_log_events(logGroupName="/aws/lambda/" + function, filterPattern='"got"')["events"]
    except ClientError:
        return []
    return [json.loads(e["message"].split(" ", 1)[1]) for e in events if e["message"].startswith("got ")]


def wait_until(condition, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("timed out")


def test_batches_partial_failures_and_redrive(lam, sqs, logs):
    tag = uuid.uuid4().hex[:8]
    dlq = sqs.create_queue(QueueName="esm-dlq-" + tag)["QueueUrl"]
    queue = sqs.create_queue(
        QueueName="esm-" + tag,
        Attributes={"VisibilityTimeout": "2", "RedrivePolicy": json.dumps({"deadLetterTargetArn": queue_arn(sqs, dlq), "maxReceiveCount": "2"})},
    )["QueueUrl"]
    function = "consumer-" + tag
    create_function(lam, function, make_zip({"app.py": CONSUMER}))
    for n in range(20):
        sqs.send_message(QueueUrl=queue, MessageBody=f"fail {n}" if n % 4 == 0 else f"ok {n}")
    created = lam.create_event_source_mapping(
        EventSourceArn=queue_arn(sqs, queue),
        FunctionName=function,
        BatchSize=10,
        MaximumBatchingWindowInSeconds=1,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202 and created["State"] == "Creating"
    assert lam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Enabled"
    assert created["FunctionArn"] == function_arn(function)

    # Every good message once; every failing one twice (two receives), then to the DLQ.
    def settled():
        records = got(logs, function)
        goods = [r for r in records if r["body"].startswith("ok")]
        fails = [r for r in records if r["body"].startswith("fail")]
        return (goods, fails) if len(goods) >= 15 and len(fails) >= 10 else None

    goods, fails = wait_until(settled, timeout=40)
    assert sorted(r["body"] for r in goods) == sorted(f"ok {n}" for n in range(20) if n % 4)
    assert all(r["source"] == "aws:sqs" for r in goods + fails)
    assert max(r["batch"] for r in goods + fails) > 1, "messages were never batched"
    moved = []
    deadline = time.time() + 20
    while len(moved) < 5 and time.time() < deadline:
        moved += sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", [])
    assert sorted(m["Body"] for m in moved) == sorted(f"fail {n}" for n in range(0, 20, 4))
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessages"] == "0" and counts["ApproximateNumberOfMessagesNotVisible"] == "0"
    assert lam.get_event_source_mapping(UUID=created["UUID"])["LastProcessingResult"] in ("OK", "PROBLEM: Function call failed")

    # Disabled, the mapping leaves messages alone; enabled again, it picks them up.
    disabled = lam.update_event_source_mapping(UUID=created["UUID"], Enabled=False)
    assert disabled["State"] == "Disabling"
    assert lam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Disabled"
    time.sleep(1.5)
    sqs.send_message(QueueUrl=queue, MessageBody="ok later")
    time.sleep(2)
    assert not [r for r in got(logs, function) if r["body"] == "ok later"]
    lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True)
    wait_until(lambda: [r for r in got(logs, function) if r["body"] == "ok later"])
    assert lam.delete_event_source_mapping(UUID=created["UUID"])["State"] == "Deleting"
    with pytest.raises(ClientError) as raised:
        lam.get_event_source_mapping(UUID=created["UUID"])
    assert error_of(raised.value)[:2] == (404, "ResourceNotFoundException")


def test_a_failed_batch_is_retried_whole_without_item_failures(lam, sqs, logs):
    tag = uuid.uuid4().hex[:8]
    queue = sqs.create_queue(QueueName="esm-whole-" + tag, Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    function = "thrower-" + tag
    source = "count = 0\ndef handler(event, context):\n    global count\n    count += 1\n    print('got', '{\"body\": \"%s\", \"receives\": \"%s\", \"source\": \"aws:sqs\", \"batch\": 1}' % (event['Records'][0]['body'], count))\n    if count == 1:\n        raise RuntimeError('first try fails')\n"
    create_function(lam, function, make_zip({"app.py": source}))
    mapping = lam.create_event_source_mapping(EventSourceArn=queue_arn(sqs, queue), FunctionName=function, BatchSize=1)
    sqs.send_message(QueueUrl=queue, MessageBody="again")
    records = wait_until(lambda: len(got(logs, function)) >= 2 and got(logs, function))
    assert [r["body"] for r in records[:2]] == ["again", "again"]
    wait_until(lambda: sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessagesNotVisible"] == "0")
    assert sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessages"] == "0"
    lam.delete_event_source_mapping(UUID=mapping["UUID"])


def test_mapping_bad_input(lam, sqs):
    tag = uuid.uuid4().hex[:8]
    queue = sqs.create_queue(QueueName="esm-bad-" + tag)["QueueUrl"]
    function = "bad-" + tag
    create_function(lam, function, make_zip({"app.py": CONSUMER}))
    arn = queue_arn(sqs, queue)
    cases = [
        dict(EventSourceArn=arn, FunctionName=function, BatchSize=20),
        dict(EventSourceArn=arn, FunctionName=function, FunctionResponseTypes=["Nope"]),
        dict(EventSourceArn="arn:aws:kinesis:us-east-1:000000000000:stream/s", FunctionName=function),
    ]
    for arguments in cases:
        with pytest.raises(ClientError) as raised:
            lam.create_event_source_mapping(**arguments)
        assert error_of(raised.value)[:2] == (400, "InvalidParameterValueException"), arguments
    with pytest.raises(ClientError) as raised:
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="no-such-function-" + tag)
    assert error_of(raised.value)[0] == 404
    first = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=function, Enabled=False)
    with pytest.raises(ClientError) as raised:
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=function)
    assert error_of(raised.value)[:2] == (409, "ResourceConflictException")
    listed = lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"]
    assert [m["UUID"] for m in listed] == [first["UUID"]] and listed[0]["State"] == "Disabled"
    lam.delete_event_source_mapping(UUID=first["UUID"])


def test_pollers_scale_out_with_a_backlog(lam, sqs, logs, nimbus_bin, endpoint):
    tag = uuid.uuid4().hex[:8]
    queue = sqs.create_queue(QueueName="esm-scale-" + tag, Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    function = "slow-" + tag
    create_function(lam, function, make_zip({"app.py": "import time\ndef handler(event, context):\n    time.sleep(0.4)\n"}))
    for start in range(0, 120, 10):
        sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(i), "MessageBody": str(start + i)} for i in range(10)])
    mapping = lam.create_event_source_mapping(
        EventSourceArn=queue_arn(sqs, queue), FunctionName=function, BatchSize=1, ScalingConfig={"MaximumConcurrency": 12}
    )

    def drained():
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
        return attributes["ApproximateNumberOfMessages"] == "0" and attributes["ApproximateNumberOfMessagesNotVisible"] == "0"

    wait_until(drained, timeout=60)
    listed = json.loads(subprocess.run([nimbus_bin, "functions", "--json", "--endpoint", endpoint], capture_output=True, text=True).stdout)
    (mine,) = [f for f in listed["functions"] if f["name"] == function]
    # Five workers would need five instances at most: more means the pollers scaled out.
    assert 5 < mine["instances"]["live"] <= 12, mine["instances"]
    assert mine["metrics"]["invocations"] == 120
    lam.delete_event_source_mapping(UUID=mapping["UUID"])


def test_filter_criteria_pick_records_and_drop_the_rest(lam, sqs, logs):
    tag = uuid.uuid4().hex[:8]
    queue = sqs.create_queue(QueueName="esm-filter-" + tag, Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    function = "picky-" + tag
    create_function(lam, function, make_zip({"app.py": CONSUMER}))
    patterns = [
        {"body": {"kind": ["order"], "total": [{"numeric": [">", 100]}]}},
        {"body": [{"prefix": "urgent"}]},
    ]
    mapping = lam.create_event_source_mapping(
        EventSourceArn=queue_arn(sqs, queue),
        FunctionName=function,
        BatchSize=10,
        FilterCriteria={"Filters": [{"Pattern": json.dumps(p)} for p in patterns]},
    )
    assert [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]] == patterns
    bodies = [
        json.dumps({"kind": "order", "total": 250}),  # first pattern
        json.dumps({"kind": "order", "total": 50}),  # too small
        json.dumps({"kind": "refund", "total": 500}),  # wrong kind
        "urgent: call back",  # second pattern, plain text
        "routine note",  # neither
        json.dumps({"urgent": True}),  # JSON body: a plain-text prefix never matches it
    ]
    for body in bodies:
        sqs.send_message(QueueUrl=queue, MessageBody=body)

    def drained():
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
        return attributes["ApproximateNumberOfMessages"] == "0" and attributes["ApproximateNumberOfMessagesNotVisible"] == "0"

    # Every message leaves the queue: the matching ones through the function, the rest dropped.
    wait_until(drained)
    wait_until(lambda: len(got(logs, function)) >= 2)
    time.sleep(1)
    assert sorted(r["body"] for r in got(logs, function)) == sorted([bodies[0], bodies[3]])

    for bad in ([{"Pattern": "{not json"}], [{"Pattern": json.dumps({"body": {"a": [{"wildcardz": "x"}]}})}], [{"Pattern": "{}"}] * 6):
        with pytest.raises(ClientError) as raised:
            lam.update_event_source_mapping(UUID=mapping["UUID"], FilterCriteria={"Filters": bad})
        assert error_of(raised.value)[:2] == (400, "InvalidParameterValueException")
    cleared = lam.update_event_source_mapping(UUID=mapping["UUID"], FilterCriteria={"Filters": []})
    assert "FilterCriteria" not in cleared
    lam.delete_event_source_mapping(UUID=mapping["UUID"])
