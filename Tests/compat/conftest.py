"""Fixtures for the compat suite: real clients against a real `nimbus serve`.

scripts/test starts the shared server and sets NIMBUS_ENDPOINT and NIMBUS_BIN;
tests that need a server with other flags start their own with `start_server`.
To run by hand:
    .build/debug/nimbus serve --port 4566 --data-dir /tmp/nimbus &
    NIMBUS_ENDPOINT=http://127.0.0.1:4566 NIMBUS_BIN=$PWD/.build/debug/nimbus \
        python3 -m pytest Tests/compat -q -rs
"""

import json
import os
import shutil
import subprocess
import sys

import boto3
import botocore.config
import pytest

import harness

# Plain helper modules do not get pytest's detailed assertion messages unless registered.
pytest.register_assert_rewrite("expect")

ACCOUNT_ID = "000000000000"
REGION = "us-east-1"
ACCESS_KEY = "test"
SECRET_KEY = "test"

# No retries: a retried 5xx or reset would hide the failure we are looking for.
# (botocore's `max_attempts` counts retries, so `total_max_attempts` is the knob
# that means "one attempt".)
CLIENT_CONFIG = botocore.config.Config(
    retries={"total_max_attempts": 1},
    connect_timeout=5,
    read_timeout=30,
)

# The user's ~/.aws must not change what the clients send.
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
for _variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
    os.environ.pop(_variable, None)


@pytest.fixture(scope="session")
def endpoint():
    """The shared server's URL (NIMBUS_ENDPOINT)."""
    url = os.environ.get("NIMBUS_ENDPOINT")
    if not url:
        pytest.skip("NIMBUS_ENDPOINT is not set: run the suite through scripts/test (or see conftest.py)")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def nimbus_bin():
    """The `nimbus` executable (NIMBUS_BIN), for tests that start their own servers."""
    path = os.environ.get("NIMBUS_BIN")
    if not path:
        pytest.skip("NIMBUS_BIN is not set: run the suite through scripts/test (or see conftest.py)")
    if not os.access(path, os.X_OK):
        pytest.fail(f"NIMBUS_BIN={path} is not an executable file")
    return path


def make_client(service, endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION, config=None):
    """A boto3 client of `endpoint`; `config` is merged over the suite's (no retries)."""
    session = boto3.session.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region)
    return session.client(service, endpoint_url=endpoint, config=CLIENT_CONFIG.merge(config) if config else CLIENT_CONFIG)


@pytest.fixture(scope="session")
def session():
    """A boto3 session with the suite's test credentials and region."""
    return boto3.session.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION)


@pytest.fixture(scope="session")
def client(session, endpoint):
    """`client("sts")` → a boto3 client for the shared server; keyword arguments
    (endpoint, access_key, secret_key, region) point it elsewhere or sign differently."""

    def make(service, endpoint=endpoint, **overrides):
        if overrides:
            return make_client(service, endpoint, **overrides)
        return session.client(service, endpoint_url=endpoint, config=CLIENT_CONFIG)

    return make


def _aws_command():
    # `aws` as installed by pip; `python -m awscli` when its script is not on PATH.
    found = shutil.which("aws")
    return [found] if found else [sys.executable, "-m", "awscli"]


def _run_aws(endpoint, args):
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION=REGION,
        AWS_PAGER="",
    )
    command = [*_aws_command(), "--endpoint-url", endpoint, "--output", "json", "--cli-connect-timeout", "5", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def aws_cli(endpoint):
    """`aws_cli("sts", "get-caller-identity")` → the command's JSON output; fails the test if it exits non-zero."""

    def run(*args, endpoint=endpoint):
        result = _run_aws(endpoint, args)
        assert result.returncode == 0, f"aws {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
        return json.loads(result.stdout) if result.stdout.strip() else None

    return run


@pytest.fixture(scope="session")
def aws_cli_error(endpoint):
    """`aws_cli_error("sqs", "list-queues")` → stderr of a command that must fail."""

    def run(*args, endpoint=endpoint):
        result = _run_aws(endpoint, args)
        assert result.returncode != 0, f"aws {' '.join(args)} succeeded but should have failed:\n{result.stdout}"
        return result.stderr

    return run


@pytest.fixture(scope="module")
def start_server(nimbus_bin, tmp_path_factory):
    """`start_server("--region", "eu-west-1", env={...}, data_dir=...)` → a healthy extra
    server (harness.ServerProcess; `.endpoint` is its URL) on a free port with its own
    data directory. Every server it started is stopped, by PID, when the module ends."""
    started = []

    def start(*args, env=None, data_dir=None):
        try:
            server = harness.launch(nimbus_bin, args, tmp_path_factory.mktemp("server"), env=env, data_dir=data_dir)
        except harness.ServerFailed as failure:
            pytest.fail(str(failure))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def serve_expecting_exit(nimbus_bin, tmp_path_factory):
    """`serve_expecting_exit("--host", "0.0.0.0")` → CompletedProcess of a `nimbus serve`
    that must exit by itself within `timeout` seconds (on a free port, fresh data dir)."""

    def run(*args, env=None, timeout=10):
        work = tmp_path_factory.mktemp("refused")
        full = ["--port", str(harness.free_port()), "--data-dir", str(work / "data"), *args]
        try:
            return harness.run_expecting_exit(nimbus_bin, full, env=env, timeout=timeout)
        except harness.ServerFailed as failure:
            pytest.fail(str(failure))

    return run

