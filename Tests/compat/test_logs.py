"""CloudWatch Logs: groups, streams, PutLogEvents/GetLogEvents/FilterLogEvents with boto3
and the AWS CLI, `aws logs tail` (CLI v2) and `nimbus logs tail`, against a real server."""

import os
import queue
import re
import shutil
import subprocess
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

import harness
from conftest import ACCESS_KEY, REGION, SECRET_KEY
from expect import error_of

TAIL_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00) (\S+) (.*)$")


def now_ms():
    return int(time.time() * 1000)


def unique(prefix="/nimbus-compat/"):
    return f"{prefix}{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def logs(client):
    return client("logs")


@pytest.fixture
def stream(logs):
    """A fresh group with one stream `s`; yields the group name."""
    group = unique()
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    yield group
    logs.delete_log_group(logGroupName=group)


def put(logs, group, messages, stream="s", timestamp=None):
    at = timestamp if timestamp is not None else now_ms()
    return logs.put_log_events(
        logGroupName=group,
        logStreamName=stream,
        logEvents=[{"timestamp": at, "message": message} for message in messages],
    )


def client_error(call):
    with pytest.raises(ClientError) as raised:
        call()
    return error_of(raised.value)


# --- groups and streams ----------------------------------------------------------------


def test_group_lifecycle_and_aws_errors(logs):
    group = unique()
    logs.create_log_group(logGroupName=group, tags={"team": "compat"})

    described = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert [g["logGroupName"] for g in described] == [group]
    assert described[0]["arn"] == f"arn:aws:logs:{REGION}:000000000000:log-group:{group}:*"
    assert described[0]["logGroupArn"] == f"arn:aws:logs:{REGION}:000000000000:log-group:{group}"
    assert abs(described[0]["creationTime"] - now_ms()) < 60_000
    assert described[0]["storedBytes"] == 0

    assert client_error(lambda: logs.create_log_group(logGroupName=group))[:2] == (400, "ResourceAlreadyExistsException")
    assert client_error(lambda: logs.create_log_group(logGroupName="bad name"))[:2] == (400, "InvalidParameterException")

    logs.delete_log_group(logGroupName=group)
    status, code, message = client_error(lambda: logs.delete_log_group(logGroupName=group))
    assert (status, code, message) == (400, "ResourceNotFoundException", "The specified log group does not exist.")


def test_describe_log_groups_pages_with_the_boto3_paginator(logs):
    prefix = unique() + "/"
    names = [f"{prefix}{n}" for n in ("c", "a", "b")]
    for name in names:
        logs.create_log_group(logGroupName=name)

    pages = list(logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix, PaginationConfig={"PageSize": 2}))

    assert [len(p["logGroups"]) for p in pages] == [2, 1]
    assert [g["logGroupName"] for p in pages for g in p["logGroups"]] == sorted(names)
    for name in names:
        logs.delete_log_group(logGroupName=name)


def test_describe_log_streams_orders_by_last_event_time(logs, stream):
    base = now_ms() - 10_000
    for offset, name in ((3, "newest"), (1, "oldest"), (2, "middle")):
        logs.create_log_stream(logGroupName=stream, logStreamName=name)
        put(logs, stream, ["x"], stream=name, timestamp=base + offset)

    by_time = logs.describe_log_streams(logGroupName=stream, orderBy="LastEventTime", descending=True)["logStreams"]
    assert [s["logStreamName"] for s in by_time] == ["newest", "middle", "oldest", "s"]
    newest = by_time[0]
    assert newest["firstEventTimestamp"] == newest["lastEventTimestamp"] == base + 3
    assert abs(newest["lastIngestionTime"] - now_ms()) < 60_000

    by_name = logs.describe_log_streams(logGroupName=stream, logStreamNamePrefix="m")["logStreams"]
    assert [s["logStreamName"] for s in by_name] == ["middle"]

    status, code, _ = client_error(lambda: logs.create_log_stream(logGroupName=stream, logStreamName="s"))
    assert (status, code) == (400, "ResourceAlreadyExistsException")
    status, code, message = client_error(lambda: logs.create_log_stream(logGroupName=unique(), logStreamName="s"))
    assert (code, message) == ("ResourceNotFoundException", "The specified log group does not exist.")


# --- PutLogEvents / GetLogEvents -------------------------------------------------------------


def test_put_then_get_with_forward_and_backward_tokens(logs, stream):
    at = now_ms()
    response = logs.put_log_events(
        logGroupName=stream,
        logStreamName="s",
        logEvents=[{"timestamp": at + i, "message": f"line {i}"} for i in range(5)],
    )
    assert "rejectedLogEventsInfo" not in response

    head = logs.get_log_events(logGroupName=stream, logStreamName="s", startFromHead=True, limit=3)
    assert [e["message"] for e in head["events"]] == ["line 0", "line 1", "line 2"]
    assert head["nextForwardToken"].startswith("f/") and head["nextBackwardToken"].startswith("b/")
    assert all(e["ingestionTime"] >= e["timestamp"] - 1000 for e in head["events"])

    rest = logs.get_log_events(logGroupName=stream, logStreamName="s", nextToken=head["nextForwardToken"], limit=3)
    assert [e["message"] for e in rest["events"]] == ["line 3", "line 4"]
    end = logs.get_log_events(logGroupName=stream, logStreamName="s", nextToken=rest["nextForwardToken"])
    assert end["events"] == []
    assert end["nextForwardToken"] == rest["nextForwardToken"], "at the end AWS hands back the same forward token"

    back = logs.get_log_events(logGroupName=stream, logStreamName="s", nextToken=rest["nextBackwardToken"], limit=2)
    assert [e["message"] for e in back["events"]] == ["line 1", "line 2"]

    latest = logs.get_log_events(logGroupName=stream, logStreamName="s", limit=2)
    assert [e["message"] for e in latest["events"]] == ["line 3", "line 4"], "without startFromHead the latest events come back"


def test_put_log_events_reports_too_old_and_too_new_events(logs, stream):
    now = now_ms()
    hour, fortnight = 3_600_000, 14 * 86_400_000
    old = [{"timestamp": now - fortnight - hour, "message": "too old"}, {"timestamp": now - fortnight + hour, "message": "old but kept"}]
    new = [{"timestamp": now, "message": "fine"}, {"timestamp": now + 3 * hour, "message": "too new"}]

    first = logs.put_log_events(logGroupName=stream, logStreamName="s", logEvents=old)
    second = logs.put_log_events(logGroupName=stream, logStreamName="s", logEvents=new)

    assert first["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 0}
    assert second["rejectedLogEventsInfo"] == {"tooNewLogEventStartIndex": 1}
    stored = logs.get_log_events(logGroupName=stream, logStreamName="s", startFromHead=True)["events"]
    assert [e["message"] for e in stored] == ["old but kept", "fine"]

    spanning = [{"timestamp": now - 25 * hour, "message": "a"}, {"timestamp": now, "message": "b"}]
    status, code, message = client_error(lambda: logs.put_log_events(logGroupName=stream, logStreamName="s", logEvents=spanning))
    assert (status, code) == (400, "InvalidParameterException") and "24 hours" in message


def test_put_log_events_refuses_what_aws_refuses(logs, stream):
    now = now_ms()
    unordered = [{"timestamp": now, "message": "b"}, {"timestamp": now - 1, "message": "a"}]
    status, code, message = client_error(lambda: logs.put_log_events(logGroupName=stream, logStreamName="s", logEvents=unordered))
    assert (status, code) == (400, "InvalidParameterException")
    assert "chronological" in message

    too_big = [{"timestamp": now, "message": "x" * (1_048_576 - 26 + 1)}]
    status, code, message = client_error(lambda: logs.put_log_events(logGroupName=stream, logStreamName="s", logEvents=too_big))
    assert code == "InvalidParameterException", message

    status, code, message = client_error(lambda: put(logs, stream, ["x"], stream="missing"))
    assert (code, message) == ("ResourceNotFoundException", "The specified log stream does not exist.")


# --- FilterLogEvents -------------------------------------------------------------------------


def test_filter_log_events_terms_phrases_and_pages(logs, stream):
    logs.create_log_stream(logGroupName=stream, logStreamName="t")
    at = now_ms()
    put(logs, stream, ["ERROR disk full", "INFO ok"], timestamp=at)
    put(logs, stream, ["ERROR timeout after 3s", "WARN slow"], stream="t", timestamp=at + 1)

    def messages(**kwargs):
        return [e["message"] for e in logs.filter_log_events(logGroupName=stream, **kwargs)["events"]]

    assert messages(filterPattern="ERROR") == ["ERROR disk full", "ERROR timeout after 3s"]
    assert messages(filterPattern='"timeout after"') == ["ERROR timeout after 3s"]
    assert messages(filterPattern="ERROR disk") == ["ERROR disk full"]
    assert messages(logStreamNames=["t"]) == ["ERROR timeout after 3s", "WARN slow"]
    assert messages(startTime=at + 1) == ["ERROR timeout after 3s", "WARN slow"]

    pages = list(logs.get_paginator("filter_log_events").paginate(logGroupName=stream, PaginationConfig={"PageSize": 3}))
    events = [e for p in pages for e in p["events"]]
    assert [e["message"] for e in events] == ["ERROR disk full", "INFO ok", "ERROR timeout after 3s", "WARN slow"]
    assert len(pages) == 2
    assert len({e["eventId"] for e in events}) == 4
    assert [e["logStreamName"] for e in events] == ["s", "s", "t", "t"]

    status, code, message = client_error(lambda: logs.filter_log_events(logGroupName=stream, filterPattern='{ $.level = "error" }'))
    assert (status, code) == (400, "InvalidParameterException")
    assert "JSON" in message


def test_filter_log_events_takes_a_log_group_arn(logs, stream):
    put(logs, stream, ["by arn"])
    arn = f"arn:aws:logs:{REGION}:000000000000:log-group:{stream}"

    events = logs.filter_log_events(logGroupIdentifier=arn)["events"]

    assert [e["message"] for e in events] == ["by arn"]


# --- the AWS CLI ------------------------------------------------------------------------------


def test_aws_cli_put_get_and_filter(aws_cli, logs, stream):
    at = now_ms()
    aws_cli(
        "logs", "put-log-events", "--log-group-name", stream, "--log-stream-name", "s",
        "--log-events", f"timestamp={at},message=hello from the cli", f"timestamp={at + 1},message=second line",
    )

    got = aws_cli("logs", "get-log-events", "--log-group-name", stream, "--log-stream-name", "s", "--start-from-head")
    assert [e["message"] for e in got["events"]] == ["hello from the cli", "second line"]

    filtered = aws_cli("logs", "filter-log-events", "--log-group-name", stream, "--filter-pattern", "second")
    assert [(e["logStreamName"], e["message"]) for e in filtered["events"]] == [("s", "second line")]


def aws_cli_v2():
    """The path of an AWS CLI v2 (`aws logs tail` exists only there), or None."""
    candidates = [os.environ.get("NIMBUS_AWS_CLI_V2"), "/usr/bin/aws", "/usr/local/bin/aws", shutil.which("aws")]
    for candidate in candidates:
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        version = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=60)
        if (version.stdout + version.stderr).startswith("aws-cli/2"):
            return candidate
    return None


def cli_v2_env():
    return dict(
        os.environ,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION=REGION,
        AWS_PAGER="",
    )


@pytest.fixture(scope="module")
def aws_v2():
    path = aws_cli_v2()
    if not path:
        pytest.skip("`aws logs tail` needs AWS CLI v2 and none is installed (pip's awscli is v1; Debian's awscli package is v2)")
    return path


def test_aws_cli_v2_logs_tail_prints_the_group(aws_v2, endpoint, logs, stream):
    put(logs, stream, ["first", "second"])

    result = subprocess.run(
        [aws_v2, "--endpoint-url", endpoint, "logs", "tail", stream, "--since", "5m"],
        capture_output=True, text=True, timeout=120, env=cli_v2_env(), stdin=subprocess.DEVNULL,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [TAIL_LINE.match(line).group(2, 3) for line in lines] == [("s", "first"), ("s", "second")], result.stdout


def test_aws_cli_v2_logs_tail_follow_prints_new_events(aws_v2, endpoint, logs, stream):
    put(logs, stream, ["before"])
    with LineReader([aws_v2, "--endpoint-url", endpoint, "logs", "tail", stream, "--follow", "--since", "5m"], env=cli_v2_env()) as tail:
        assert tail.wait_for(["before"], timeout=60)
        put(logs, stream, ["after one", "after two"])
        # The AWS CLI polls every 5 seconds.
        assert tail.wait_for(["before", "after one", "after two"], timeout=30), tail.describe()


# --- nimbus logs tail -------------------------------------------------------------------------


class LineReader:
    """A child process whose stdout lines are collected by a thread; stopped by PID on exit."""

    def __init__(self, command, env=None):
        self.command = command
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env,
        )
        self.lines = queue.Queue()
        self.seen = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def messages(self):
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                break
        return [TAIL_LINE.match(line).group(3) if TAIL_LINE.match(line) else line for line in self.seen]

    def wait_for(self, expected, timeout):
        """Whether the messages printed so far become exactly `expected` within `timeout` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.messages() == expected:
                return True
            if len(self.messages()) > len(expected) or self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return self.messages() == expected

    def describe(self):
        return f"{' '.join(self.command)} printed {self.messages()!r}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return False


def nimbus_tail(nimbus_bin, endpoint, *args, timeout=60):
    return subprocess.run(
        [nimbus_bin, "logs", "tail", *args, "--endpoint", endpoint],
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def test_nimbus_logs_tail_prints_like_aws_logs_tail(nimbus_bin, endpoint, logs, stream):
    at = now_ms() - 1_000
    put(logs, stream, ["one", "two  \n"], timestamp=at)

    result = nimbus_tail(nimbus_bin, endpoint, stream, "--since", "1m")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at / 1000)) + f".{at % 1000:03d}000+00:00"
    assert lines[0] == f"{stamp} s one"
    assert lines[1] == f"{stamp} s two", "trailing whitespace is trimmed, as aws logs tail does"


def test_nimbus_logs_tail_reads_a_functions_group_and_honours_since(nimbus_bin, endpoint, logs):
    function = "fn-" + uuid.uuid4().hex[:10]
    group = f"/aws/lambda/{function}"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="2026/01/01/[$LATEST]abc")
    now = now_ms()
    put(logs, group, ["an hour ago"], stream="2026/01/01/[$LATEST]abc", timestamp=now - 3_600_000)
    put(logs, group, ["just now"], stream="2026/01/01/[$LATEST]abc", timestamp=now)

    recent = nimbus_tail(nimbus_bin, endpoint, function)
    longer = nimbus_tail(nimbus_bin, endpoint, function, "--since", "2h")

    assert [TAIL_LINE.match(l).group(2, 3) for l in recent.stdout.splitlines()] == [("2026/01/01/[$LATEST]abc", "just now")]
    assert [TAIL_LINE.match(l).group(3) for l in longer.stdout.splitlines()] == ["an hour ago", "just now"]
    logs.delete_log_group(logGroupName=group)


def test_nimbus_logs_tail_follow_prints_each_event_once(nimbus_bin, endpoint, logs, stream):
    logs.create_log_stream(logGroupName=stream, logStreamName="other")
    put(logs, stream, ["backlog"])
    with LineReader([nimbus_bin, "logs", "tail", stream, "--follow", "--endpoint", endpoint]) as tail:
        assert tail.wait_for(["backlog"], timeout=30), tail.describe()
        same_ms = now_ms()
        put(logs, stream, [f"burst {i}" for i in range(50)], timestamp=same_ms)
        put(logs, stream, [f"burst {i}" for i in range(50, 60)], timestamp=same_ms)
        # Ingested after the burst but stamped earlier: a timestamp-based follower would skip it.
        put(logs, stream, ["late but older"], stream="other", timestamp=same_ms - 5_000)
        expected = ["backlog"] + [f"burst {i}" for i in range(60)] + ["late but older"]
        assert tail.wait_for(expected, timeout=10), tail.describe()
        time.sleep(1)
        assert tail.messages() == expected, "no event may print twice"
        assert tail.process.poll() is None, "--follow keeps running"


def test_nimbus_logs_tail_follow_waits_for_the_group(nimbus_bin, endpoint, logs):
    group = unique()
    with LineReader([nimbus_bin, "logs", "tail", group, "--follow", "--endpoint", endpoint]) as tail:
        time.sleep(1)
        assert tail.process.poll() is None, "--follow waits for a group that does not exist yet"
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName="s")
        put(logs, group, ["arrived"])
        assert tail.wait_for(["arrived"], timeout=10), tail.describe()
    logs.delete_log_group(logGroupName=group)


def test_nimbus_logs_tail_missing_group_is_a_one_line_error(nimbus_bin, endpoint):
    result = nimbus_tail(nimbus_bin, endpoint, "no-such-function-" + uuid.uuid4().hex[:8])

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr, result.stderr


def test_nimbus_logs_tail_without_a_server_is_a_one_line_error(nimbus_bin):
    result = nimbus_tail(nimbus_bin, f"http://127.0.0.1:{harness.free_port()}", "fn", timeout=30)

    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert "cannot reach" in result.stderr and "nimbus serve" in result.stderr, result.stderr
