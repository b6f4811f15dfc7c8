"""Lambda versions, aliases (with weighted routing), resource policies and reserved
concurrency through boto3 and the AWS CLI: what a release pipeline and a throttled
downstream rely on."""

import concurrent.futures
import json
import os
import subprocess
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import make_client
from expect import error_of
from lambdakit import create_function, function_arn, invoke, make_zip, update_code

# The function reports which code and version ran it, and how many calls its instance served.
SOURCE = """
import os, time
MARK = {mark!r}
count = 0

def handler(event, context):
    global count
    count += 1
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("say"):
        print("said", event["say"])
    return {{"mark": MARK, "version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"], "count": count,
            "arn": context.invoked_function_arn}}
"""


def code(mark):
    return make_zip({"app.py": SOURCE.format(mark=mark)})


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def function(lam):
    name = "ver-" + uuid.uuid4().hex[:10]
    create_function(lam, name, code("one"))
    yield name
    try:
        lam.delete_function(FunctionName=name)
    except ClientError:
        pass


def error(call):
    with pytest.raises(ClientError) as raised:
        call()
    return error_of(raised.value)


def test_publish_freezes_code_and_configuration(lam, function):
    first = lam.publish_version(FunctionName=function, Description="first")
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert first["Version"] == "1"
    assert first["FunctionArn"] == function_arn(function) + ":1"
    assert first["Description"] == "first"
    # Nothing changed since: AWS answers with the last version instead of publishing another.
    assert lam.publish_version(FunctionName=function)["Version"] == "1"

    update_code(lam, function, code("two"))
    latest = lam.get_function_configuration(FunctionName=function)
    status, kind, message = error(lambda: lam.publish_version(FunctionName=function, RevisionId="stale"))
    assert (status, kind) == (412, "PreconditionFailedException")
    status, kind, message = error(lambda: lam.publish_version(FunctionName=function, CodeSha256=first["CodeSha256"]))
    assert (status, kind) == (400, "InvalidParameterValueException") and "CodeSHA256" in message
    second = lam.publish_version(FunctionName=function, RevisionId=latest["RevisionId"], CodeSha256=latest["CodeSha256"])
    assert second["Version"] == "2" and second["CodeSha256"] != first["CodeSha256"]

    assert invoke(lam, function, {}, Qualifier="1").payload["mark"] == "one"
    assert invoke(lam, function + ":2", {}).payload["mark"] == "two"
    called = invoke(lam, function, {})
    assert called.payload["mark"] == "two" and called.executed_version == "$LATEST"
    one = invoke(lam, function_arn(function) + ":1", {})
    assert one.executed_version == "1"
    assert one.payload["version"] == "1" and one.payload["arn"] == function_arn(function) + ":1"

    assert lam.get_function_configuration(FunctionName=function, Qualifier="1")["CodeSha256"] == first["CodeSha256"]
    assert lam.get_function(FunctionName=function + ":2")["Configuration"]["Version"] == "2"
    status, kind, _ = error(lambda: lam.get_function(FunctionName=function, Qualifier="7"))
    assert (status, kind) == (404, "ResourceNotFoundException")
    status, kind, _ = error(lambda: invoke(lam, function, {}, Qualifier="7"))
    assert (status, kind) == (404, "ResourceNotFoundException")


def test_list_versions_pages_with_latest_first(lam, function):
    for mark in ("a", "b", "c"):
        update_code(lam, function, code(mark))
        lam.publish_version(FunctionName=function)
    seen, marker = [], None
    while True:
        page = lam.list_versions_by_function(FunctionName=function, MaxItems=2, **({"Marker": marker} if marker else {}))
        seen += [v["Version"] for v in page["Versions"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    assert seen == ["$LATEST", "1", "2", "3"]
    paginated = [v["Version"] for p in lam.get_paginator("list_versions_by_function").paginate(FunctionName=function) for v in p["Versions"]]
    assert paginated == seen
    everything = [f for p in lam.get_paginator("list_functions").paginate(FunctionVersion="ALL") for f in p["Functions"]]
    assert [f["Version"] for f in everything if f["FunctionName"] == function] == seen
    assert [f["Version"] for f in lam.list_functions()["Functions"] if f["FunctionName"] == function] == ["$LATEST"]


def test_each_version_runs_on_its_own_instances(lam, function):
    lam.publish_version(FunctionName=function)
    # Alternate between the two versions: each keeps its own warm instance and module state.
    counts = [invoke(lam, function, {}, Qualifier=q).payload["count"] for q in ("1", "$LATEST", "1", "$LATEST", "1")]
    assert counts == [1, 1, 2, 2, 3]


def test_deleting_a_version_and_the_function(lam, function):
    lam.publish_version(FunctionName=function)
    update_code(lam, function, code("two"))
    lam.publish_version(FunctionName=function)
    lam.create_alias(FunctionName=function, Name="live", FunctionVersion="1")
    status, kind, message = error(lambda: lam.delete_function(FunctionName=function, Qualifier="1"))
    assert (status, kind) == (409, "ResourceConflictException") and "live" in message
    status, kind, _ = error(lambda: lam.delete_function(FunctionName=function, Qualifier="$LATEST"))
    assert (status, kind) == (400, "InvalidParameterValueException")
    lam.delete_function(FunctionName=function, Qualifier="2")
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=function)["Versions"]] == ["$LATEST", "1"]
    status, kind, _ = error(lambda: invoke(lam, function, {}, Qualifier="2"))
    assert (status, kind) == (404, "ResourceNotFoundException")
    # Numbers are never reused while the function exists.
    update_code(lam, function, code("three"))
    assert lam.publish_version(FunctionName=function)["Version"] == "3"
    lam.delete_function(FunctionName=function)
    status, kind, _ = error(lambda: lam.get_function(FunctionName=function, Qualifier="1"))
    assert (status, kind) == (404, "ResourceNotFoundException")


def test_create_and_update_publish_when_asked(lam):
    name = "pub-" + uuid.uuid4().hex[:10]
    created = create_function(lam, name, code("one"), Publish=True)
    try:
        assert created["Version"] == "1"
        updated = lam.update_function_code(FunctionName=name, ZipFile=code("two"), Publish=True)
        assert updated["Version"] == "2"
        lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        assert invoke(lam, name, {}, Qualifier="2").payload["mark"] == "two"
    finally:
        lam.delete_function(FunctionName=name)


def test_aliases_route_by_weight_and_report_the_version(lam, function):
    lam.publish_version(FunctionName=function)
    update_code(lam, function, code("two"))
    lam.publish_version(FunctionName=function)

    alias = lam.create_alias(FunctionName=function, Name="prod", FunctionVersion="1", Description="stable")
    assert alias["AliasArn"] == function_arn(function) + ":prod"
    assert alias["FunctionVersion"] == "1" and alias["RevisionId"]
    status, kind, _ = error(lambda: lam.create_alias(FunctionName=function, Name="prod", FunctionVersion="1"))
    assert (status, kind) == (409, "ResourceConflictException")

    through = invoke(lam, function, {}, Qualifier="prod")
    assert through.executed_version == "1" and through.payload["mark"] == "one"
    assert through.payload["arn"] == function_arn(function) + ":prod"
    assert invoke(lam, function_arn(function) + ":prod", {}).executed_version == "1"

    # Shift 30% of the traffic to version 2 (a canary), then count where 400 calls went.
    updated = lam.update_alias(
        FunctionName=function, Name="prod", RoutingConfig={"AdditionalVersionWeights": {"2": 0.3}}, RevisionId=alias["RevisionId"]
    )
    assert updated["RoutingConfig"]["AdditionalVersionWeights"] == {"2": 0.3}
    status, kind, _ = error(lambda: lam.update_alias(FunctionName=function, Name="prod", Description="x", RevisionId=alias["RevisionId"]))
    assert (status, kind) == (412, "PreconditionFailedException")
    runs = [invoke(lam, function, {}, Qualifier="prod") for _ in range(400)]
    to_two = sum(1 for r in runs if r.executed_version == "2")
    assert all((r.executed_version == "2") == (r.payload["mark"] == "two") for r in runs)
    # Binomial(400, 0.3): mean 120, standard deviation 9.2; 60..180 is more than six deviations.
    assert 60 <= to_two <= 180, to_two

    assert lam.get_alias(FunctionName=function, Name="prod")["RoutingConfig"]["AdditionalVersionWeights"] == {"2": 0.3}
    lam.create_alias(FunctionName=function, Name="edge", FunctionVersion="$LATEST")
    names = [a["Name"] for a in lam.list_aliases(FunctionName=function)["Aliases"]]
    assert names == ["edge", "prod"]
    assert [a["Name"] for a in lam.list_aliases(FunctionName=function, FunctionVersion="2")["Aliases"]] == ["prod"]
    lam.delete_alias(FunctionName=function, Name="edge")
    status, kind, _ = error(lambda: lam.get_alias(FunctionName=function, Name="edge"))
    assert (status, kind) == (404, "ResourceNotFoundException")


def test_alias_bad_input(lam, function):
    lam.publish_version(FunctionName=function)
    update_code(lam, function, code("two"))
    lam.publish_version(FunctionName=function)
    cases = [
        (dict(Name="123", FunctionVersion="1"), 400, "ValidationException"),
        (dict(Name="bad", FunctionVersion="9"), 404, "ResourceNotFoundException"),
        (dict(Name="bad", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"2": 1.5}}), 400, "ValidationException"),
        (dict(Name="bad", FunctionVersion="$LATEST", RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}}), 400, "InvalidParameterValueException"),
        (dict(Name="bad", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}}), 400, "InvalidParameterValueException"),
        (dict(Name="bad", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"9": 0.5}}), 404, "ResourceNotFoundException"),
    ]
    for arguments, status, kind in cases:
        got = error(lambda: lam.create_alias(FunctionName=function, **arguments))
        assert got[:2] == (status, kind), (arguments, got)
    assert lam.list_aliases(FunctionName=function)["Aliases"] == []


def test_resource_policy_statements(lam, function, aws_cli):
    added = lam.add_permission(
        FunctionName=function,
        StatementId="s3-invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn="arn:aws:s3:::uploads",
        SourceAccount="000000000000",
    )
    statement = json.loads(added["Statement"])
    assert statement == {
        "Sid": "s3-invoke",
        "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": function_arn(function),
        "Condition": {"StringEquals": {"AWS:SourceAccount": "000000000000"}, "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}},
    }
    status, kind, _ = error(
        lambda: lam.add_permission(FunctionName=function, StatementId="s3-invoke", Action="lambda:InvokeFunction", Principal="sns.amazonaws.com")
    )
    assert (status, kind) == (409, "ResourceConflictException")
    aws_cli(
        "lambda", "add-permission", "--function-name", function, "--statement-id", "acct",
        "--action", "lambda:GetFunction", "--principal", "111122223333",
    )
    policy = lam.get_policy(FunctionName=function)
    document = json.loads(policy["Policy"])
    assert document["Version"] == "2012-10-17"
    assert [s["Sid"] for s in document["Statement"]] == ["s3-invoke", "acct"]
    assert document["Statement"][1]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    status, kind, _ = error(lambda: lam.remove_permission(FunctionName=function, StatementId="s3-invoke", RevisionId="stale"))
    assert (status, kind) == (412, "PreconditionFailedException")
    lam.remove_permission(FunctionName=function, StatementId="s3-invoke", RevisionId=policy["RevisionId"])
    lam.remove_permission(FunctionName=function, StatementId="acct")
    status, kind, _ = error(lambda: lam.get_policy(FunctionName=function))
    assert (status, kind) == (404, "ResourceNotFoundException")
    status, kind, _ = error(lambda: lam.remove_permission(FunctionName=function, StatementId="acct"))
    assert (status, kind) == (404, "ResourceNotFoundException")
    # A policy on an alias is its own document, with the alias ARN as the resource.
    lam.publish_version(FunctionName=function)
    lam.create_alias(FunctionName=function, Name="live", FunctionVersion="1")
    on_alias = lam.add_permission(FunctionName=function, Qualifier="live", StatementId="a", Action="lambda:*", Principal="*")
    assert json.loads(on_alias["Statement"])["Resource"] == function_arn(function) + ":live"
    assert len(json.loads(lam.get_policy(FunctionName=function, Qualifier="live")["Policy"])["Statement"]) == 1
    status, kind, _ = error(lambda: lam.get_policy(FunctionName=function))
    assert (status, kind) == (404, "ResourceNotFoundException")


def test_reserved_concurrency_throttles(lam, function):
    settings = lam.get_account_settings()["AccountLimit"]
    assert settings["ConcurrentExecutions"] == 1000
    before = settings["UnreservedConcurrentExecutions"]

    assert lam.put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=0)["ReservedConcurrentExecutions"] == 0
    assert lam.get_function_concurrency(FunctionName=function)["ReservedConcurrentExecutions"] == 0
    assert lam.get_function(FunctionName=function)["Concurrency"] == {"ReservedConcurrentExecutions": 0}
    with pytest.raises(ClientError) as raised:
        invoke(lam, function, {})
    status, kind, message = error_of(raised.value)
    assert (status, kind, message) == (429, "TooManyRequestsException", "Rate Exceeded.")
    assert raised.value.response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    # Asynchronous events are accepted while throttled and run once the function may run.
    assert lam.invoke(FunctionName=function, InvocationType="Event", Payload=b'{"say": "later"}')["StatusCode"] == 202

    lam.put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=1)
    assert lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"] == before - 1
    # The waiting event takes the one slot as soon as there is one.
    assert _wait_for_log(function, "said later"), "the throttled Event invocation never ran"
    status, kind, message = error(lambda: lam.put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=before))
    assert (status, kind) == (400, "InvalidParameterValueException") and "[100]" in message

    # One may run at a time: of two overlapping calls, one is throttled.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = pool.submit(invoke, lam, function, {"sleep": 1.5})
        time.sleep(0.5)
        second = pool.submit(invoke, lam, function, {})
        with pytest.raises(ClientError) as raised:
            second.result()
        assert error_of(raised.value)[1] == "TooManyRequestsException"
        assert slow.result().payload["mark"] == "one"

    lam.delete_function_concurrency(FunctionName=function)
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName=function)
    assert lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"] == before
    assert invoke(lam, function, {}).status == 200


def _wait_for_log(function, text, timeout=15):
    client = make_client("logs", os.environ["NIMBUS_ENDPOINT"])
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            found = client.filter_log_events(logGroupName="/aws/lambda/" + function, filterPattern=f'"{text}"')["events"]
        except ClientError:
            found = []
        if found:
            return found
        time.sleep(0.25)
    return []


def test_provisioned_concurrency_prewarms_instances(lam, function):
    lam.publish_version(FunctionName=function)
    lam.create_alias(FunctionName=function, Name="live", FunctionVersion="1")
    status, kind, _ = error(
        lambda: lam.put_provisioned_concurrency_config(FunctionName=function, Qualifier="$LATEST", ProvisionedConcurrentExecutions=1)
    )
    assert (status, kind) == (400, "InvalidParameterValueException")
    put = lam.put_provisioned_concurrency_config(FunctionName=function, Qualifier="live", ProvisionedConcurrentExecutions=2)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert put["Status"] == "IN_PROGRESS" and put["RequestedProvisionedConcurrentExecutions"] == 2
    deadline = time.time() + 20
    while time.time() < deadline:
        got = lam.get_provisioned_concurrency_config(FunctionName=function, Qualifier="live")
        if got["Status"] != "IN_PROGRESS":
            break
        time.sleep(0.1)
    assert got["Status"] == "READY", got
    assert got["AvailableProvisionedConcurrentExecutions"] == 2
    listed = lam.list_provisioned_concurrency_configs(FunctionName=function)["ProvisionedConcurrencyConfigs"]
    assert [c["FunctionArn"] for c in listed] == [function_arn(function) + ":live"]
    # Two calls at once both land on pre-initialised instances: no Init Duration in either REPORT.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        calls = list(pool.map(lambda _: invoke(lam, function, {"sleep": 0.3}, Qualifier="live", LogType="Tail"), range(2)))
    for call in calls:
        assert call.payload["count"] == 1 and call.executed_version == "1"
        assert "Init Duration" not in call.log, call.log
    lam.delete_provisioned_concurrency_config(FunctionName=function, Qualifier="live")
    status, kind, _ = error(lambda: lam.get_provisioned_concurrency_config(FunctionName=function, Qualifier="live"))
    assert (status, kind) == (404, "ProvisionedConcurrencyConfigNotFoundException")


def test_nimbus_functions_lists_versions_aliases_instances_and_counters(lam, function, nimbus_bin, endpoint):
    lam.publish_version(FunctionName=function)
    lam.create_alias(FunctionName=function, Name="live", FunctionVersion="1")
    for _ in range(3):
        invoke(lam, function, {}, Qualifier="live")
    lam.put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=0)
    with pytest.raises(ClientError):
        invoke(lam, function, {})
    lam.put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=5)

    run = lambda *args: subprocess.run([nimbus_bin, "functions", "--endpoint", endpoint, *args], capture_output=True, text=True, timeout=30)
    listed = json.loads(run("--json").stdout)["functions"]
    (mine,) = [f for f in listed if f["name"] == function]
    assert mine["versions"] == ["$LATEST", "1"] and mine["aliases"] == {"live": "1"}
    assert mine["reservedConcurrency"] == 5
    assert mine["metrics"]["invocations"] == 3 and mine["metrics"]["throttles"] == 1 and mine["metrics"]["errors"] == 0
    assert mine["instances"]["live"] >= 1
    table = run().stdout.splitlines()
    assert table[0].split()[:3] == ["NAME", "RUNTIME", "VERSIONS"]
    (row,) = [line for line in table if line.startswith(function + " ")]
    assert "live=1" in row and "python3.12" in row
