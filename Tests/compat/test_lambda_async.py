"""Asynchronous invocation (`InvocationType: Event`) through boto3: the durable queue,
retries of function errors, maximum event age, OnSuccess/OnFailure destinations with AWS's
record shape, event invoke configurations, and events that survive `kill -9` of the server."""

import json
import subprocess
import time
import uuid

import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import make_client
from expect import error_of
from lambdakit import create_function, function_arn, make_zip

# Fails when the event asks to; prints every event so the test can count attempts.
WORKER = """
import json
import subprocess
def handler(event, context):
    print("attempt", context.aws_request_id, json.dumps(event, sort_keys=True))
    if event.get("fail"):
        raise ValueError("asked to fail " + str(event.get("n")))
    return {"done": event.get("n")}
"""
# A destination: prints each record it receives as one line.
SINK = """
import json
import subprocess
def handler(event, context):
    print("record", json.dumps(event, sort_keys=True))
"""


@pytest.fixture(scope="module")
def server(start_server):
    # Retries after 0.3 s, then 0.6 s, instead of AWS's minute and two.
    return start_server("--async-retry-base", "0.3")


@pytest.fixture(scope="module")
def lam(client, server):
    return client("lambda", endpoint=server.endpoint)


@pytest.fixture(scope="module")
def logs(client, server):
    return client("logs", endpoint=server.endpoint)


def deploy(lam, source, prefix):
    name = prefix + "-" + uuid.uuid4().hex[:8]
    create_function(lam, name, make_zip({"app.py": source}))
    return name


def lines(logs, function, word):
    try:
        events = logs.filter_log_events(logGroupName="/aws/lambda/" + function, filterPattern=f'"{word}"')["events"]
    except ClientError:
        return []
    return [e["message"].rstrip("\n") for e in events if e["message"].startswith(word + " ")]


def wait_lines(logs, function, word, count, timeout=20):
    deadline = time.time() + timeout
    found = []
    while time.time() < deadline:
        found = lines(logs, function, word)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{function}: {len(found)} '{word}' lines after {timeout}s, wanted {count}: {found}")


def records(logs, sink, count):
    return [json.loads(line[len("record ") :]) for line in wait_lines(logs, sink, "record", count)]


def test_failures_are_retried_then_sent_to_on_failure(lam, logs):
    worker, sink = deploy(lam, WORKER, "worker"), deploy(lam, SINK, "sink")
    config = lam.put_function_event_invoke_config(
        FunctionName=worker,
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": function_arn(sink)}, "OnSuccess": {"Destination": function_arn(sink)}},
    )
    assert config["FunctionArn"] == function_arn(worker)
    assert config["MaximumEventAgeInSeconds"] == 21600

    failed = lam.invoke(FunctionName=worker, InvocationType="Event", Payload=json.dumps({"fail": True, "n": 1}))
    assert failed["StatusCode"] == 202
    request_id = failed["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]
    assert lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"n": 2}')["StatusCode"] == 202

    got = {r["requestContext"]["condition"]: r for r in records(logs, sink, 2)}
    failure = got["RetriesExhausted"]
    assert failure["version"] == "1.0" and failure["timestamp"].endswith("Z")
    assert failure["requestContext"] == {
        "requestId": request_id,
        "functionArn": function_arn(worker) + ":$LATEST",
        "condition": "RetriesExhausted",
        "approximateInvokeCount": 3,
    }
    assert failure["requestPayload"] == {"fail": True, "n": 1}
    assert failure["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
    assert failure["responsePayload"]["errorType"] == "ValueError"
    success = got["Success"]
    assert success["requestContext"]["approximateInvokeCount"] == 1
    assert success["responsePayload"] == {"done": 2}
    assert success["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    # Every attempt ran under the Invoke's request id: one try and two retries.
    attempts = [l for l in lines(logs, worker, "attempt") if request_id in l]
    assert len(attempts) == 3, attempts


def test_no_retries_when_configured_so(lam, logs):
    worker, sink = deploy(lam, WORKER, "worker"), deploy(lam, SINK, "sink")
    lam.put_function_event_invoke_config(
        FunctionName=worker, MaximumRetryAttempts=0, DestinationConfig={"OnFailure": {"Destination": function_arn(sink)}}
    )
    lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"fail": true, "n": 3}')
    (record,) = records(logs, sink, 1)
    assert record["requestContext"]["approximateInvokeCount"] == 1
    time.sleep(1.0)
    assert len(lines(logs, worker, "attempt")) == 1


def test_event_invoke_config_operations(lam, aws_cli):
    worker, sink = deploy(lam, WORKER, "worker"), deploy(lam, SINK, "sink")
    with pytest.raises(ClientError) as raised:
        lam.get_function_event_invoke_config(FunctionName=worker)
    assert error_of(raised.value)[:2] == (404, "ResourceNotFoundException")
    lam.put_function_event_invoke_config(FunctionName=worker, MaximumRetryAttempts=1)
    updated = lam.update_function_event_invoke_config(
        FunctionName=worker, MaximumEventAgeInSeconds=120, DestinationConfig={"OnSuccess": {"Destination": function_arn(sink)}}
    )
    assert (updated["MaximumRetryAttempts"], updated["MaximumEventAgeInSeconds"]) == (1, 120)
    assert updated["DestinationConfig"]["OnSuccess"]["Destination"] == function_arn(sink)
    assert lam.get_function_event_invoke_config(FunctionName=worker)["MaximumEventAgeInSeconds"] == 120
    listed = lam.list_function_event_invoke_configs(FunctionName=worker)["FunctionEventInvokeConfigs"]
    assert [c["FunctionArn"] for c in listed] == [function_arn(worker)]

    bad = [
        dict(MaximumRetryAttempts=3),
        dict(MaximumEventAgeInSeconds=59),
        dict(DestinationConfig={"OnFailure": {"Destination": "not-an-arn"}}),
        dict(DestinationConfig={"OnFailure": {"Destination": function_arn(worker)}}),
    ]
    # The server's own checks, not botocore's: send what botocore would refuse to.
    unchecked = make_client("lambda", lam.meta.endpoint_url, config=botocore.config.Config(parameter_validation=False))
    for arguments in bad:
        with pytest.raises(ClientError) as raised:
            unchecked.put_function_event_invoke_config(FunctionName=worker, **arguments)
        assert error_of(raised.value)[0] == 400, arguments
    lam.delete_function_event_invoke_config(FunctionName=worker)
    with pytest.raises(ClientError) as raised:
        lam.get_function_event_invoke_config(FunctionName=worker)
    assert error_of(raised.value)[0] == 404


def test_queued_events_survive_kill_9(start_server, client, tmp_path):
    first = start_server("--async-retry-base", "0.3")
    lam, logs = client("lambda", endpoint=first.endpoint), client("logs", endpoint=first.endpoint)
    worker = deploy(lam, WORKER, "durable")
    # Reserved concurrency 0 holds every event in the queue: accepted, none run.
    lam.put_function_concurrency(FunctionName=worker, ReservedConcurrentExecutions=0)
    for n in range(20):
        assert lam.invoke(FunctionName=worker, InvocationType="Event", Payload=json.dumps({"n": n}))["StatusCode"] == 202
    first.process.kill()
    first.process.wait(timeout=10)

    second = start_server("--async-retry-base", "0.3", data_dir=first.data_dir)
    lam, logs = client("lambda", endpoint=second.endpoint), client("logs", endpoint=second.endpoint)
    lam.delete_function_concurrency(FunctionName=worker)
    ran = wait_lines(logs, worker, "attempt", 20, timeout=30)
    numbers = sorted(json.loads(line.split(" ", 2)[2])["n"] for line in ran)
    assert numbers == list(range(20))


def test_dead_letter_queue_and_destination_in_sqs(lam, client, server):
    sqs = client("sqs", endpoint=server.endpoint)
    dlq = sqs.create_queue(QueueName="dlq-" + uuid.uuid4().hex[:8])["QueueUrl"]
    failures = sqs.create_queue(QueueName="failures-" + uuid.uuid4().hex[:8])["QueueUrl"]
    arn = lambda url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    worker = "worker-" + uuid.uuid4().hex[:8]
    create_function(lam, worker, make_zip({"app.py": WORKER}), DeadLetterConfig={"TargetArn": arn(dlq)})
    lam.put_function_event_invoke_config(
        FunctionName=worker, MaximumRetryAttempts=1, DestinationConfig={"OnFailure": {"Destination": arn(failures)}}
    )
    answer = lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"fail": true, "n": 7}')
    request_id = answer["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]

    def receive(url):
        messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10, MessageAttributeNames=["All"]).get("Messages", [])
        assert messages, f"nothing arrived in {url}"
        return messages[0]

    # The dead-letter queue gets the event itself, with AWS's attributes.
    dead = receive(dlq)
    assert json.loads(dead["Body"]) == {"fail": True, "n": 7}
    assert dead["MessageAttributes"]["RequestID"]["StringValue"] == request_id
    assert dead["MessageAttributes"]["ErrorCode"]["StringValue"] == "ValueError"
    assert dead["MessageAttributes"]["ErrorMessage"]["StringValue"] == "asked to fail 7"
    # The OnFailure destination gets the invocation record.
    record = json.loads(receive(failures)["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["requestPayload"] == {"fail": True, "n": 7}


def test_on_success_to_sns_and_a_dead_letter_queue_that_refuses(lam, logs, client, server, nimbus_bin):
    sqs, sns = client("sqs", endpoint=server.endpoint), client("sns", endpoint=server.endpoint)
    queue = sqs.create_queue(QueueName="fanout-" + uuid.uuid4().hex[:8])["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = sns.create_topic(Name="results-" + uuid.uuid4().hex[:8])["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    # A dead-letter target that does not exist: the failure is reported, not silently lost.
    missing = "arn:aws:sqs:us-east-1:000000000000:no-such-queue-" + uuid.uuid4().hex[:6]
    worker = "worker-" + uuid.uuid4().hex[:8]
    create_function(lam, worker, make_zip({"app.py": WORKER}), DeadLetterConfig={"TargetArn": missing})
    lam.put_function_event_invoke_config(
        FunctionName=worker, MaximumRetryAttempts=0, DestinationConfig={"OnSuccess": {"Destination": topic}}
    )
    lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"n": 5}')
    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=10).get("Messages", [])
    assert messages, "the OnSuccess record never reached the topic's queue"
    record = json.loads(messages[0]["Body"])
    assert record["requestContext"]["condition"] == "Success" and record["responsePayload"] == {"done": 5}

    lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"fail": true, "n": 6}')
    deadline = time.time() + 15
    reported = []
    while time.time() < deadline and not reported:
        try:
            reported = logs.get_log_events(
                logGroupName="/aws/lambda/" + worker, logStreamName="nimbus/async-delivery", startFromHead=True
            )["events"]
        except ClientError:
            pass
        time.sleep(0.2)
    assert reported and "dead-letter queue" in reported[0]["message"] and missing in reported[0]["message"], reported
    listed = subprocess.run([nimbus_bin, "functions", "--json", "--endpoint", server.endpoint], capture_output=True, text=True).stdout
    (mine,) = [f for f in json.loads(listed)["functions"] if f["name"] == worker]
    assert mine["metrics"]["deadLetterErrors"] == 1 and mine["metrics"]["asyncEventsDropped"] == 1


def test_an_event_older_than_its_maximum_age_goes_to_on_failure(lam, logs, client, server):
    """Held back by reserved concurrency 0, the event outlives `MaximumEventAgeInSeconds`
    (60 s, AWS's minimum, so this test takes a minute) and is dropped to OnFailure unrun."""
    sqs = client("sqs", endpoint=server.endpoint)
    failures = sqs.create_queue(QueueName="aged-" + uuid.uuid4().hex[:8])["QueueUrl"]
    failures_arn = sqs.get_queue_attributes(QueueUrl=failures, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    worker = deploy(lam, WORKER, "aging")
    lam.put_function_concurrency(FunctionName=worker, ReservedConcurrentExecutions=0)
    lam.put_function_event_invoke_config(
        FunctionName=worker, MaximumEventAgeInSeconds=60, DestinationConfig={"OnFailure": {"Destination": failures_arn}}
    )
    queued_at = time.time()
    lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"n": 60}')

    messages = []
    while not messages and time.time() < queued_at + 90:
        messages = sqs.receive_message(QueueUrl=failures, WaitTimeSeconds=20).get("Messages", [])
    assert messages, "the aged event never reached the OnFailure destination"
    assert time.time() - queued_at >= 60, "the event was dropped before its maximum age"
    record = json.loads(messages[0]["Body"])
    assert record["requestContext"]["condition"] == "EventAgeExceeded"
    assert record["requestPayload"] == {"n": 60}
    assert record["requestContext"]["functionArn"].endswith(":function:" + worker + ":$LATEST")
    assert lines(logs, worker, "attempt") == []
