"""Lambda runtimes other than Nimbus's python bootstrap, through boto3: node (async, callback,
ES module and subfolder handlers), a custom runtime written in bash exactly as AWS's
tutorial writes it, AWS's own python runtime interface client (awslambdaric, from PyPI),
and a function built on AWS Lambda Powertools calling Nimbus with boto3."""

import json
import re
import shutil
import uuid

import pytest

from lambdakit import (
    PipUnavailable,
    deployer,
    function_arn,
    function_files,
    invoke,
    pip_target,
    started_request_id,
    zip_entry_modes,
    zip_function,
)

LOG_STREAM = re.compile(r"^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{8,}$")
ISO_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (scripts/test installs it)")
needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed (the tutorial's bootstrap uses it)")


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def deploy(lam):
    """`deploy(zip, runtime, handler, **CreateFunction arguments)` → the name of a new,
    Active function; deleted after the test."""
    yield from deployer(lam, "rt")


def assert_ok(result):
    assert result.status == 200 and result.function_error is None, result.describe()


def assert_unhandled(result, error_type):
    assert result.status == 200, result.describe()
    assert result.function_error == "Unhandled", result.describe()
    body = result.payload
    assert body.get("errorType") == error_type, result.describe()
    return body


def pip_folder(*requirements):
    try:
        return pip_target(*requirements)
    except PipUnavailable as reason:
        pytest.skip(str(reason))


# ---------------------------------------------------------------- node

NODE_ZIP = zip_function("node_probe")


@needs_node
def test_node_async_handler_and_warm_state(lam, deploy):
    name = deploy(NODE_ZIP, "nodejs20.x", "index.handler")
    first = invoke(lam, name, {"k": "v"})
    assert_ok(first)
    assert first.executed_version == "$LATEST"
    assert first.payload == {"via": "async", "echo": {"k": "v"}, "count": 1}
    assert invoke(lam, name, {}).payload["count"] == 2


@needs_node
def test_node_callback_handler(lam, deploy):
    name = deploy(NODE_ZIP, "nodejs20.x", "callback.handler")
    result = invoke(lam, name, {"n": 1})
    assert_ok(result)
    assert result.payload == {"via": "callback", "echo": {"n": 1}}


@needs_node
def test_node_thrown_error(lam, deploy):
    name = deploy(NODE_ZIP, "nodejs20.x", "index.handler")
    body = assert_unhandled(invoke(lam, name, {"action": "throw", "message": "node says no"}), "Error")
    assert body["errorMessage"] == "node says no"
    assert isinstance(body.get("trace"), list) and body["trace"][0].startswith("Error: node says no"), body


@needs_node
def test_node_context(lam, deploy):
    name = deploy(NODE_ZIP, "nodejs20.x", "index.handler", Timeout=6, MemorySize=128)
    result = invoke(lam, name, {"action": "context"}, LogType="Tail")
    assert_ok(result)
    context = result.payload
    assert context["functionName"] == name
    assert context["functionVersion"] == "$LATEST"
    assert context["invokedFunctionArn"] == function_arn(name)
    assert context["memoryLimitInMB"] == "128"  # a string in AWS's node runtime
    assert context["awsRequestId"] == started_request_id(result.log)
    assert context["logGroupName"] == f"/aws/lambda/{name}"
    assert LOG_STREAM.match(context["logStreamName"]), context["logStreamName"]
    assert 0 < context["remainingMs"] <= 6000
    assert context["callbackWaitsForEmptyEventLoop"] is True


@needs_node
def test_node_console_log_in_tail(lam, deploy):
    name = deploy(NODE_ZIP, "nodejs20.x", "index.handler")
    result = invoke(lam, name, {"action": "log", "line": "hello from node"}, LogType="Tail")
    assert_ok(result)
    rid = started_request_id(result.log)
    pattern = rf"^{ISO_TIME}\t{re.escape(rid)}\tINFO\thello from node$"
    assert re.search(pattern, result.log, re.M), result.log
    assert f"REPORT RequestId: {rid}" in result.log, result.log


@needs_node
def test_node_handler_in_a_subfolder(lam, deploy):
    name = deploy(NODE_ZIP, "nodejs20.x", "src/app.handler")
    result = invoke(lam, name, {"x": 1})
    assert_ok(result)
    assert result.payload == {"from": "src/app", "echo": {"x": 1}}


@needs_node
def test_node_es_module_handler(lam, deploy):
    name = deploy(NODE_ZIP, "nodejs20.x", "esm.handler")
    result = invoke(lam, name, {"y": 2})
    assert_ok(result)
    assert result.payload == {"from": "esm", "echo": {"y": 2}}


# ---------------------------------------------------------------- provided (custom runtime)

BASH_ZIP = zip_function("provided_bash", executables={"bootstrap"})


def test_packaging_keeps_the_executable_bit():
    modes = zip_entry_modes(BASH_ZIP)
    assert modes["bootstrap"] == 0o755 and modes["function.sh"] == 0o644, modes


@needs_curl
def test_provided_bash_bootstrap_from_the_aws_tutorial(lam, deploy):
    name = deploy(BASH_ZIP, "provided.al2023", "function.handler")
    first = invoke(lam, name, b'{"text":"Hello"}', LogType="Tail")
    assert_ok(first)
    # The tutorial's handler answers plain text, which Lambda passes on unchanged.
    assert first.raw == b"Echoing request: '{\"text\":\"Hello\"}'"
    assert f"END RequestId: {started_request_id(first.log)}" in first.log, first.log
    assert '{"text":"Hello"}' in first.log, "the handler's stderr is not in the log"
    # The bootstrap's loop serves the next event on the same process.
    second = invoke(lam, name, b'{"n":2}')
    assert_ok(second)
    assert second.raw == b"Echoing request: '{\"n\":2}'"


def test_provided_bootstrap_not_executable_is_invalid_entrypoint(lam, deploy):
    not_executable = zip_function("provided_bash", executables=())
    assert zip_entry_modes(not_executable)["bootstrap"] == 0o644
    name = deploy(not_executable, "provided.al2023", "function.handler")
    assert_unhandled(invoke(lam, name, {}), "Runtime.InvalidEntrypoint")


def test_provided_without_bootstrap_is_invalid_entrypoint(lam, deploy):
    name = deploy(zip_function("provided_bash", without={"bootstrap"}), "provided.al2023", "function.handler")
    assert_unhandled(invoke(lam, name, {}), "Runtime.InvalidEntrypoint")


# ---------------------------------------------------------------- awslambdaric (AWS's python runtime client)


@pytest.fixture(scope="session")
def ric_zip():
    """python_probe's handler, run by `python3 -m awslambdaric app.handler` from the zip."""
    site = pip_folder("awslambdaric")
    return zip_function("python_probe", executables={"bootstrap"}, extra_files=function_files("python_ric"), site_packages=[site])


def test_awslambdaric_result(lam, deploy, ric_zip):
    name = deploy(ric_zip, "provided.al2023", "app.handler")
    result = invoke(lam, name, {"action": "echo", "list": [1, 2]})
    assert_ok(result)
    assert result.payload == {"event": {"action": "echo", "list": [1, 2]}}


def test_awslambdaric_error_object(lam, deploy, ric_zip):
    name = deploy(ric_zip, "provided.al2023", "app.handler")
    body = assert_unhandled(invoke(lam, name, {"action": "raise", "message": "ric boom"}), "ValueError")
    assert body["errorMessage"] == "ric boom"
    assert isinstance(body.get("stackTrace"), list) and body["stackTrace"], body


def test_awslambdaric_context(lam, deploy, ric_zip):
    name = deploy(ric_zip, "provided.al2023", "app.handler", Timeout=8)
    result = invoke(lam, name, {"action": "context"}, LogType="Tail")
    assert_ok(result)
    context = result.payload
    assert context["function_name"] == name
    assert context["function_version"] == "$LATEST"
    assert context["invoked_function_arn"] == function_arn(name)
    assert str(context["memory_limit_in_mb"]) == "128"
    assert context["aws_request_id"] == started_request_id(result.log)
    assert context["log_group_name"] == f"/aws/lambda/{name}"
    assert LOG_STREAM.match(context["log_stream_name"] or ""), context["log_stream_name"]
    assert 0 < context["remaining_ms"] <= 8000
    assert f"REPORT RequestId: {context['aws_request_id']}" in result.log, result.log


def test_awslambdaric_warm_counter(lam, deploy, ric_zip):
    name = deploy(ric_zip, "provided.al2023", "app.handler")
    runs = [invoke(lam, name, {"action": "count"}).payload for _ in range(3)]
    assert [run["count"] for run in runs] == [1, 2, 3], runs
    assert len({run["pid"] for run in runs}) == 1, runs


# ---------------------------------------------------------------- Powertools


@pytest.fixture(scope="session")
def powertools_zip():
    site = pip_folder("aws-lambda-powertools")
    return zip_function("python_powertools", site_packages=[site])


def test_powertools_logger_and_boto3_against_nimbus(lam, deploy, powertools_zip):
    name = deploy(powertools_zip, "python3.12", "app.handler", Timeout=20)
    marker = uuid.uuid4().hex
    result = invoke(lam, name, {"marker": marker}, LogType="Tail")
    assert_ok(result)
    rid = started_request_id(result.log)
    assert result.payload == {"account": "000000000000", "request_id": rid}
    records = []
    for line in result.log.splitlines():
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
    mine = [record for record in records if record.get("message") == "hello powertools"]
    assert mine, f"no structured 'hello powertools' line in the tail:\n{result.log}"
    record = mine[0]
    assert record["level"] == "INFO"
    assert record["service"] == "compat"
    assert record["marker"] == marker
    assert record["function_name"] == name
    assert record["function_request_id"] == rid
    assert record["function_arn"] == function_arn(name)
    assert record["function_memory_size"] in (128, "128")
    assert record["cold_start"] is True
