"""Lambda Invoke through boto3 and the AWS CLI, python runtime: functions really run, and
everything a caller and a handler can observe is what AWS Lambda gives them — results,
error objects, the context, the environment, warm reuse, scale-out, timeouts, memory and
process limits, /tmp, and the START/END/REPORT logs (Tail and CloudWatch Logs)."""

import base64
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import botocore.config
import pytest
from botocore.exceptions import ClientError

import harness
from expect import error_of
from lambdakit import (
    MAX_SYNC_PAYLOAD,
    deployer,
    function_arn,
    invoke,
    make_zip,
    started_request_id,
    update_code,
    update_configuration,
    zip_function,
)

PROBE_ZIP = zip_function("python_probe")
LOG_STREAM = re.compile(r"^(\d{4})/(\d{2})/(\d{2})/\[\$LATEST\][0-9a-f]{8,}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Variables a function may legitimately share with the host: AWS sets these itself.
SHARED_NAMES = {"PATH", "LANG", "TZ", "HOME", "PWD", "OLDPWD", "SHLVL", "_", "LD_LIBRARY_PATH", "PYTHONPATH", "NODE_PATH"}


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def deploy(lam):
    """`deploy(zip=PROBE_ZIP, runtime=…, handler=…, **CreateFunction arguments)` → the
    name of a new, Active function; every function it made is deleted afterwards."""
    yield from deployer(lam, "inv", PROBE_ZIP)


def slow_client(session, endpoint, seconds=120):
    """A lambda client that waits `seconds` for a response (the default is 30)."""
    config = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=seconds)
    return session.client("lambda", endpoint_url=endpoint, config=config)


def assert_ok(result):
    assert result.status == 200 and result.function_error is None, result.describe()


def assert_unhandled(result, error_type):
    """AWS answers a failed invocation with 200, X-Amz-Function-Error: Unhandled and the error object."""
    assert result.status == 200, result.describe()
    assert result.function_error == "Unhandled", result.describe()
    body = result.payload
    assert body.get("errorType") == error_type, result.describe()
    return body


def assert_healthy(endpoint):
    status, body, _ = harness.get_health(endpoint)
    assert status == 200, f"health check answered {status}: {body}"


# ---------------------------------------------------------------- results


def test_invoke_returns_the_handlers_json(lam, deploy):
    name = deploy()
    result = invoke(lam, name, {"action": "echo", "a": 1, "nested": {"list": [1, "two", None]}})
    assert_ok(result)
    assert result.executed_version == "$LATEST"
    assert result.payload == {"event": {"action": "echo", "a": 1, "nested": {"list": [1, "two", None]}}}
    assert result.request_id and UUID.match(result.request_id), result.headers


def test_empty_payload_gives_the_handler_an_empty_object(lam, deploy):
    name = deploy()
    result = invoke(lam, name)
    assert_ok(result)
    assert result.payload == {"event": {}}


def test_dry_run_answers_204_without_running_the_handler(lam, deploy):
    name = deploy()
    dry = invoke(lam, name, {"action": "count"}, InvocationType="DryRun")
    assert dry.status == 204, dry.describe()
    assert dry.raw == b""
    # The handler did not run: the first real invocation is the module's first.
    assert invoke(lam, name, {"action": "count"}).payload["count"] == 1


@pytest.mark.parametrize("form", ["name", "arn", "partial arn", "qualifier $LATEST", "arn:$LATEST"])
def test_function_named_every_way_aws_accepts(lam, deploy, form):
    name = deploy()
    arguments = {
        "name": dict(name=name),
        "arn": dict(name=function_arn(name)),
        "partial arn": dict(name=f"000000000000:function:{name}"),
        "qualifier $LATEST": dict(name=name, Qualifier="$LATEST"),
        "arn:$LATEST": dict(name=f"{function_arn(name)}:$LATEST"),
    }[form]
    result = invoke(lam, arguments.pop("name"), {"action": "context"}, **arguments)
    assert_ok(result)
    assert result.executed_version == "$LATEST"
    assert result.payload["function_name"] == name


def test_unknown_function_is_resource_not_found(lam):
    with pytest.raises(ClientError) as raised:
        invoke(lam, f"missing-{uuid.uuid4().hex[:8]}", {"a": 1})
    status, code, message = error_of(raised.value)
    assert (status, code) == (404, "ResourceNotFoundException"), message


def test_request_over_6_mb_is_request_too_large(lam, deploy):
    name = deploy()
    payload = b'"' + b"x" * (MAX_SYNC_PAYLOAD - 1) + b'"'  # valid JSON, 6 MiB + 1 byte
    assert len(payload) == MAX_SYNC_PAYLOAD + 1
    with pytest.raises(ClientError) as raised:
        invoke(lam, name, payload)
    status, code, message = error_of(raised.value)
    assert (status, code) == (413, "RequestTooLargeException"), message


# ---------------------------------------------------------------- context and environment


def test_context_fields(lam, deploy):
    name = deploy(Timeout=7, MemorySize=128)
    result = invoke(lam, name, {"action": "context"})
    assert_ok(result)
    context = result.payload
    assert context["function_name"] == name
    assert context["function_version"] == "$LATEST"
    assert context["invoked_function_arn"] == function_arn(name)
    # AWS's python runtime (awslambdaric) gives the environment's string "128"; accept either spelling.
    assert str(context["memory_limit_in_mb"]) == "128"
    assert UUID.match(context["aws_request_id"]), context["aws_request_id"]
    assert context["log_group_name"] == f"/aws/lambda/{name}"
    match = LOG_STREAM.match(context["log_stream_name"] or "")
    assert match, f"log stream {context['log_stream_name']!r} is not YYYY/MM/DD/[$LATEST]<hex>"
    day = "/".join(match.groups())
    now = time.time()
    assert day in {time.strftime("%Y/%m/%d", time.gmtime(now + delta)) for delta in (-3600, 0, 3600)}
    assert 0 < context["remaining_ms"] <= 7000


def test_caller_handler_and_logs_share_one_request_id(lam, deploy):
    # On AWS the Invoke response's x-amzn-RequestId is the invocation's id: the one the
    # handler gets as aws_request_id and the one on the START/END/REPORT lines.
    name = deploy()
    result = invoke(lam, name, {"action": "context"}, LogType="Tail")
    assert_ok(result)
    assert result.payload["aws_request_id"] == started_request_id(result.log), result.log
    assert result.request_id == result.payload["aws_request_id"], (
        f"x-amzn-RequestId {result.request_id} is not the invocation's id {result.payload['aws_request_id']}"
    )


def test_invoked_function_arn_is_the_one_the_caller_used(lam, deploy):
    name = deploy()
    qualified = f"{function_arn(name)}:$LATEST"
    assert invoke(lam, qualified, {"action": "context"}).payload["invoked_function_arn"] == qualified


def test_client_context_reaches_the_handler(lam, deploy):
    name = deploy()
    client_context = base64.b64encode(json.dumps({"custom": {"tenant": "t-1"}, "env": {}, "client": {}}).encode()).decode()
    result = invoke(lam, name, {"action": "context"}, ClientContext=client_context)
    assert_ok(result)
    assert result.payload["client_context_custom"] == {"tenant": "t-1"}


def test_environment_is_what_aws_sets(lam, deploy, endpoint):
    name = deploy(MemorySize=256, Timeout=5, Environment={"Variables": {"USER_VAR": "hello", "OTHER": "a=b c"}})
    result = invoke(lam, name, {"action": "environment"})
    assert_ok(result)
    env, cwd = result.payload["environ"], result.payload["cwd"]
    assert env.get("AWS_LAMBDA_FUNCTION_NAME") == name
    assert env.get("AWS_LAMBDA_FUNCTION_VERSION") == "$LATEST"
    assert env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") == "256"
    assert env.get("AWS_LAMBDA_LOG_GROUP_NAME") == f"/aws/lambda/{name}"
    assert LOG_STREAM.match(env.get("AWS_LAMBDA_LOG_STREAM_NAME", "")), env.get("AWS_LAMBDA_LOG_STREAM_NAME")
    assert env.get("AWS_REGION") == "us-east-1"
    assert env.get("AWS_DEFAULT_REGION") == "us-east-1"
    assert env.get("AWS_EXECUTION_ENV") == "AWS_Lambda_python3.12"
    assert env.get("_HANDLER") == "app.handler"
    assert env.get("TZ") == ":UTC"
    assert env.get("LAMBDA_TASK_ROOT"), "LAMBDA_TASK_ROOT is not set"
    assert cwd == env["LAMBDA_TASK_ROOT"], "a function starts in its code directory, as in /var/task on AWS"
    assert env.get("LAMBDA_RUNTIME_DIR"), "LAMBDA_RUNTIME_DIR is not set"
    assert re.match(r"^[\w.\-\[\]:]+:\d+$", env.get("AWS_LAMBDA_RUNTIME_API", "")), env.get("AWS_LAMBDA_RUNTIME_API")
    assert env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"), "the function has no credentials"
    assert env.get("USER_VAR") == "hello" and env.get("OTHER") == "a=b c"
    endpoint_url = env.get("AWS_ENDPOINT_URL")
    assert endpoint_url, "AWS_ENDPOINT_URL is not set, so SDKs in the function would call the real AWS"
    assert urllib.parse.urlsplit(endpoint_url).port == urllib.parse.urlsplit(endpoint).port, endpoint_url


def test_host_environment_does_not_leak(lam, deploy):
    name = deploy()
    env = invoke(lam, name, {"action": "environment"}).payload["environ"]
    leaked = sorted(
        key
        for key, value in os.environ.items()
        if env.get(key) == value
        and key not in SHARED_NAMES
        and not key.startswith(("AWS_", "LAMBDA_", "LC_"))
    )
    assert not leaked, f"the test runner's (and server's) variables reached the function: {leaked}"


def test_server_environment_does_not_leak(start_server, client, deploy):
    canary = f"canary-{uuid.uuid4().hex}"
    server = start_server(env={"COMPAT_HOST_SECRET": canary})
    lam = client("lambda", endpoint=server.endpoint)
    name = deploy(lam=lam)
    env = invoke(lam, name, {"action": "environment"}).payload["environ"]
    assert "COMPAT_HOST_SECRET" not in env
    assert canary not in json.dumps(env)


def test_code_directory_is_read_only(lam, deploy):
    name = deploy()
    result = invoke(lam, name, {"action": "write_task_root"})
    assert_ok(result)
    assert result.payload["wrote"] is False, "the handler could write into its code directory (read-only on AWS)"


# ---------------------------------------------------------------- instances


def test_warm_instance_keeps_module_state_until_configuration_changes(lam, deploy):
    name = deploy(Environment={"Variables": {"MARKER": "one"}})
    runs = [invoke(lam, name, {"action": "count"}).payload for _ in range(3)]
    assert [run["count"] for run in runs] == [1, 2, 3], runs
    assert len({run["instance"] for run in runs}) == 1, runs
    assert runs[0]["marker"] == "one"

    update_configuration(lam, name, Environment={"Variables": {"MARKER": "two"}})
    after = invoke(lam, name, {"action": "count"}).payload
    assert after["count"] == 1, f"the instance from before the update served the call: {after}"
    assert after["marker"] == "two"
    assert after["instance"] != runs[0]["instance"]


def test_updated_code_runs_on_the_next_invoke(lam, deploy):
    name = deploy()
    assert invoke(lam, name, {"action": "count"}).payload["count"] == 1
    update_code(lam, name, make_zip({"app.py": "def handler(event, context):\n    return {'version': 2}\n"}))
    assert invoke(lam, name, {}).payload == {"version": 2}


def test_concurrent_invokes_scale_out(lam, deploy, client):
    name = deploy(Timeout=10)
    callers = [client("lambda") for _ in range(4)]
    barrier = threading.Barrier(len(callers))

    def call(caller):
        barrier.wait()
        return invoke(caller, name, {"action": "sleep", "seconds": 0.5})

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(len(callers)) as pool:
        results = list(pool.map(call, callers))
    elapsed = time.monotonic() - started
    for result in results:
        assert_ok(result)
    streams = {result.payload["stream"] for result in results}
    assert len(streams) == 4, f"4 concurrent calls ran on {len(streams)} instance(s): {streams}"
    # One instance serving them one at a time would take >= 2 s; four take about 0.5 s.
    assert elapsed < 1.9, f"4 concurrent 0.5 s invocations took {elapsed:.2f} s: they did not run in parallel"


# ---------------------------------------------------------------- errors


def test_handler_exception_is_an_unhandled_error_object(lam, deploy):
    name = deploy()
    result = invoke(lam, name, {"action": "raise", "message": "bad value 42"})
    body = assert_unhandled(result, "ValueError")
    assert body["errorMessage"] == "bad value 42"
    assert isinstance(body.get("stackTrace"), list) and body["stackTrace"], body
    assert any("_raise" in str(frame) for frame in body["stackTrace"]), body["stackTrace"]
    # The instance survives a handled-by-the-runtime exception (module state is kept).
    assert invoke(lam, name, {"action": "count"}).payload["count"] == 2


def test_missing_module_is_import_module_error(lam, deploy):
    name = deploy(handler="nomodule.handler")
    body = assert_unhandled(invoke(lam, name, {}), "Runtime.ImportModuleError")
    assert "Unable to import module 'nomodule'" in body["errorMessage"], body


def test_missing_handler_function_is_handler_not_found(lam, deploy):
    name = deploy(handler="app.nope")
    body = assert_unhandled(invoke(lam, name, {}), "Runtime.HandlerNotFound")
    assert "nope" in body["errorMessage"], body


def test_timeout_kills_the_instance_and_the_next_invoke_works(lam, deploy):
    name = deploy(Timeout=1)
    started = time.monotonic()
    result = invoke(lam, name, {"action": "sleep", "seconds": 5})
    elapsed = time.monotonic() - started
    assert result.status == 200 and result.function_error == "Unhandled", result.describe()
    assert "Task timed out after 1.00 seconds" in result.payload["errorMessage"], result.describe()
    assert elapsed < 4, f"the timed-out invocation returned after {elapsed:.1f} s"
    after = invoke(lam, name, {"action": "count"})
    assert_ok(after)
    assert after.payload["count"] == 1, "the timed-out instance was reused instead of replaced"


def test_sys_exit_is_runtime_exit_error(lam, deploy):
    name = deploy()
    body = assert_unhandled(invoke(lam, name, {"action": "exit", "code": 3}), "Runtime.ExitError")
    assert "exit status 3" in body["errorMessage"], body
    assert invoke(lam, name, {"action": "count"}).payload["count"] == 1


def test_memory_over_the_limit_is_out_of_memory(lam, deploy):
    # Enforced with cgroups (or RSS polling) on Linux; this host has them.
    name = deploy(MemorySize=128, Timeout=20)
    result = invoke(lam, name, {"action": "allocate", "mb": 400, "hold": 3})
    assert_unhandled(result, "Runtime.OutOfMemory")
    after = invoke(lam, name, {"action": "allocate", "mb": 10, "hold": 0})
    assert_ok(after)
    assert after.payload == {"allocated": 10 * 1024 * 1024}


def test_response_over_6_mb_is_response_size_too_large(lam, deploy):
    name = deploy(Timeout=30)
    result = invoke(lam, name, {"action": "big_response", "bytes": MAX_SYNC_PAYLOAD + 100})
    assert_unhandled(result, "Function.ResponseSizeTooLarge")
    assert len(result.raw) < 10_000, "the oversized response was passed on"


def test_50_mb_of_output_completes_and_the_server_stays_healthy(session, endpoint, deploy):
    lam = slow_client(session, endpoint)
    name = deploy(lam=lam, Timeout=90)
    result = invoke(lam, name, {"action": "print_lots", "mb": 50})
    assert_ok(result)
    assert result.payload == {"printed_mb": 50}
    assert_healthy(endpoint)
    other = deploy(lam=lam)
    assert invoke(lam, other, {"action": "echo", "after": "flood"}).payload == {"event": {"action": "echo", "after": "flood"}}


def test_fork_bomb_is_contained(lam, deploy, endpoint):
    name = deploy(Timeout=60)
    result = invoke(lam, name, {"action": "fork_bomb", "cap": 3000})
    assert_ok(result)
    count = result.payload["count"]
    assert count < 1100, f"the function forked {count} processes (AWS allows 1,024): {result.payload}"
    assert_healthy(endpoint)
    other = deploy()
    assert_ok(invoke(lam, other, {"action": "echo"}))


def test_a_function_gets_the_cpus_its_memory_buys(lam, deploy):
    # AWS gives a function CPU in proportion to its memory (1,769 MB = one vCPU): an instance of
    # a small function runs on one of the server's CPUs, a large one on all of them.
    server_cpus = sorted(os.sched_getaffinity(0))
    small = invoke(lam, deploy(MemorySize=128), {"action": "cpus"})
    assert_ok(small)
    large = invoke(lam, deploy(MemorySize=3600), {"action": "cpus"})
    assert_ok(large)
    if len(server_cpus) == 1:
        assert small.payload["cpus"] == large.payload["cpus"] == server_cpus
    else:
        assert len(small.payload["cpus"]) == 1 and set(small.payload["cpus"]) <= set(server_cpus), small.payload
        assert large.payload["cpus"] == server_cpus, large.payload


# ---------------------------------------------------------------- /tmp


def test_tmp_is_kept_on_a_warm_instance_and_private_to_the_function(lam, deploy):
    path = f"/tmp/compat-{uuid.uuid4().hex}.txt"
    writer = deploy()
    assert_ok(invoke(lam, writer, {"action": "tmp_write", "path": path, "text": "kept"}))
    read_back = invoke(lam, writer, {"action": "tmp_read", "path": path}).payload
    assert read_back["exists"] and read_back["text"] == "kept", read_back

    other = deploy()
    seen_by_other = invoke(lam, other, {"action": "tmp_read", "path": path}).payload
    assert seen_by_other["exists"] is False, "another function saw this function's /tmp"

    # A fresh instance of the same function starts with an empty /tmp, too.
    update_configuration(lam, writer, Description="new instance please")
    fresh = invoke(lam, writer, {"action": "tmp_read", "path": path}).payload
    assert fresh["instance"] != read_back["instance"]
    assert fresh["exists"] is False, "a new instance inherited the old instance's /tmp"


# ---------------------------------------------------------------- logs


def report_line(log, request_id):
    for line in log.splitlines():
        if line.startswith(f"REPORT RequestId: {request_id}"):
            return line
    raise AssertionError(f"no REPORT line for {request_id} in:\n{log}")


def test_tail_logs_have_start_end_report_and_the_handlers_output(lam, deploy):
    name = deploy(MemorySize=128)
    line = f"printed-{uuid.uuid4().hex}"
    cold = invoke(lam, name, {"action": "log", "line": line, "info": "info-message"}, LogType="Tail")
    assert_ok(cold)
    assert cold.log is not None, "no X-Amz-Log-Result for LogType=Tail"
    log = cold.log
    rid = started_request_id(log)
    assert f"START RequestId: {rid} Version: $LATEST" in log, log
    assert line in log, log
    assert f"END RequestId: {rid}" in log, log
    assert log.index(f"START RequestId: {rid}") < log.index(line) < log.index(f"END RequestId: {rid}"), log
    report = report_line(log, rid)
    assert re.search(r"\tDuration: \d+(\.\d+)? ms", report), report
    assert re.search(r"\tBilled Duration: \d+ ms", report), report
    assert "\tMemory Size: 128 MB" in report, report
    assert re.search(r"\tMax Memory Used: \d+ MB", report), report
    assert re.search(r"\tInit Duration: \d+(\.\d+)? ms", report), f"the cold start's REPORT has no Init Duration: {report}"
    assert re.search(
        r"^\[INFO\]\t\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\t" + re.escape(rid) + r"\tinfo-message$", log, re.M
    ), log

    warm = invoke(lam, name, {"action": "log", "line": "second", "info": "again"}, LogType="Tail")
    warm_report = report_line(warm.log, started_request_id(warm.log))
    assert "Init Duration" not in warm_report, f"a warm invocation reported an Init Duration: {warm_report}"
    assert rid not in warm.log, "the tail of the second invocation holds the first one's lines"


def test_report_max_memory_used_is_measured(lam, deploy):
    name = deploy(MemorySize=256)
    result = invoke(lam, name, {"action": "allocate", "mb": 60, "hold": 0}, LogType="Tail")
    assert_ok(result)
    report = report_line(result.log, started_request_id(result.log))
    used = re.search(r"\tMax Memory Used: (\d+) MB", report)
    assert used, report
    # The handler held 60 MB on top of the interpreter; the peak is at least that.
    assert 60 <= int(used.group(1)) <= 256, f"Max Memory Used is not the instance's peak memory: {report}"


def test_no_log_result_without_tail(lam, deploy):
    name = deploy()
    result = invoke(lam, name, {"action": "echo"})
    assert_ok(result)
    assert result.log is None


def test_tail_is_the_last_4_kb(lam, deploy):
    name = deploy()
    result = invoke(lam, name, {"action": "log", "line": "z" * 20000, "info": "i"}, LogType="Tail")
    assert_ok(result)
    raw = base64.b64decode(result.headers["x-amz-log-result"])
    assert len(raw) <= 4096, f"LogResult holds {len(raw)} bytes; AWS returns the last 4 KB"
    last = result.log.rstrip("\n").splitlines()[-1]
    assert last.startswith("REPORT RequestId: "), f"the tail does not end with the REPORT line: {result.log[-300:]!r}"


def test_logs_reach_cloudwatch_logs(lam, deploy, client):
    name = deploy()
    line = f"to-cloudwatch-{uuid.uuid4().hex}"
    result = invoke(lam, name, {"action": "log", "line": line, "info": "i"}, LogType="Tail")
    assert_ok(result)
    rid = started_request_id(result.log)
    logs = client("logs")
    deadline = time.monotonic() + 3
    messages = []
    while True:
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
            messages = [event["message"] for event in events]
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException" or time.monotonic() > deadline:
                raise
        if any(line in message for message in messages) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert any(line in message for message in messages), f"{line!r} not in the log group after 3 s: {messages}"
    assert any(message.startswith(f"START RequestId: {rid}") for message in messages), messages
    assert any(message.startswith(f"REPORT RequestId: {rid}") for message in messages), messages


# ---------------------------------------------------------------- SDKs and tools


def test_boto3_inside_the_function_talks_to_nimbus(lam, deploy):
    name = deploy(Timeout=20)
    result = invoke(lam, name, {"action": "boto3"})
    assert_ok(result)
    assert name in result.payload["names"]


def aws_cli_major_version():
    """1 or 2: `--cli-binary-format` exists only in v2 (v1 always sends blobs raw)."""
    found = shutil.which("aws")
    command = [found] if found else [sys.executable, "-m", "awscli"]
    text = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60).stdout
    match = re.match(r"aws-cli/(\d+)\.", text.strip() or "")
    return int(match.group(1)) if match else 1


def test_aws_cli_invoke(aws_cli, deploy, tmp_path):
    name = deploy()
    out = tmp_path / "out.json"
    binary_format = ["--cli-binary-format", "raw-in-base64-out"] if aws_cli_major_version() >= 2 else []
    printed = aws_cli("lambda", "invoke", "--function-name", name, "--payload", '{"a":1}', *binary_format, str(out))
    assert printed["StatusCode"] == 200
    assert printed["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in printed
    assert json.loads(out.read_text()) == {"event": {"a": 1}}
