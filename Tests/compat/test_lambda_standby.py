"""Standby runtimes: cold starts of python and node functions take a runtime process started
ahead of need (`--standby` on its command line), which then becomes exactly the instance a
fresh spawn would have been: its own code alone at /var/task, its own environment, limits and
log stream. Functions whose variables act only when an interpreter starts are spawned, and
`--standby-instances 0` turns standbys off."""

import http.client
import io
import os
import re
import shutil
import time
import zipfile

import pytest

from lambdakit import create_function, deployer, invoke, make_zip, zip_function

PYTHON_PROBE = zip_function("python_probe")
NODE_PROBE = zip_function("node_probe")
INIT_DURATION = re.compile(r"Init Duration: ([\d.]+) ms")

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (scripts/test installs it)")


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def deploy(lam):
    yield from deployer(lam, "sb", PYTHON_PROBE)


def process_of(lam, name):
    result = invoke(lam, name, {"action": "process"}, LogType="Tail")
    assert result.status == 200 and result.function_error is None, result.describe()
    return result.payload, result.log


def cold_start_on_a_standby(lam, deploy, attempts=20, **function):
    """Deploys and invokes fresh functions until one's cold start ran on a standby (the
    standby a runtime's first cold start asks for takes a moment to start)."""
    for attempt in range(attempts):
        marker = f"m-{attempt}"
        name = deploy(Environment={"Variables": {"MARKER": marker}}, **function)
        process, log = process_of(lam, name)
        assert process["name"] == name and process["marker"] == marker, process
        if "--standby" in process["cmdline"]:
            return name, process, log
        time.sleep(0.5)
    pytest.fail(f"no cold start ran on a standby in {attempts} fresh functions")


@pytest.mark.parametrize(
    "function",
    [
        dict(runtime="python3.12", handler="app.handler", zip_bytes=PYTHON_PROBE),
        pytest.param(dict(runtime="nodejs20.x", handler="index.handler", zip_bytes=NODE_PROBE), marks=needs_node),
    ],
    ids=["python", "node"],
)
def test_a_standby_becomes_the_function_it_is_given(lam, deploy, function):
    name, process, log = cold_start_on_a_standby(lam, deploy, **function)
    task_root = process.get("task_root") or process.get("taskRoot")
    assert task_root == "/var/task" and process["cwd"] == "/var/task", process
    assert process["files"] == top_level_names(function["zip_bytes"]), process["files"]
    assert INIT_DURATION.search(log), f"a cold start on a standby still reports its Init Duration:\n{log}"
    # Warm from now on: the same process answers the next invocation.
    again, _ = process_of(lam, name)
    assert again["cmdline"] == process["cmdline"]


def top_level_names(zip_bytes):
    return sorted({name.split("/")[0] for name in zipfile.ZipFile(io.BytesIO(zip_bytes)).namelist()})


def test_a_standby_sees_only_its_own_code(lam, deploy):
    own = make_zip({"app.py": "import os\ndef handler(e, c):\n    return sorted(os.listdir('/var/task'))\n", "own.txt": "x"})
    result = invoke(lam, deploy(zip_bytes=own), {})
    assert result.payload == ["app.py", "own.txt"], result.describe()
    # Another function on a standby: one task mount, its own files, and the first one's code is nowhere.
    _, process, _ = cold_start_on_a_standby(lam, deploy)
    assert process["task_mounts"] == 1, process
    assert "own.txt" not in process["files"]


@pytest.mark.parametrize("memory_size", [128, 1024])
def test_a_standby_takes_its_functions_memory_limit(lam, deploy, memory_size):
    name, _, _ = cold_start_on_a_standby(lam, deploy, MemorySize=memory_size)
    result = invoke(lam, name, {"action": "allocate", "mb": 300, "hold": 1})
    if memory_size < 300:
        assert result.function_error == "Unhandled", result.describe()
        assert result.payload["errorType"] == "Runtime.OutOfMemory", result.payload
    else:
        assert result.function_error is None and result.payload == {"allocated": 300 * 1024 * 1024}, result.describe()


def test_variables_that_act_at_interpreter_start_get_a_fresh_process(lam, deploy):
    # Let a standby be ready first, so the spawn below is a choice, not a miss.
    cold_start_on_a_standby(lam, deploy)
    time.sleep(1)
    name = deploy(Environment={"Variables": {"PYTHONDONTWRITEBYTECODE": "1", "MARKER": "spawned"}})
    process, _ = process_of(lam, name)
    assert process["marker"] == "spawned"
    assert "--standby" not in process["cmdline"], process["cmdline"]


def test_standbys_can_be_turned_off(start_server, client):
    server = start_server("--standby-instances", "0")
    lam = client("lambda", endpoint=server.endpoint)
    for index in range(3):
        name = f"sb-off-{index}"
        create_function(lam, name, PYTHON_PROBE)
        process, _ = process_of(lam, name)
        assert "--standby" not in process["cmdline"], process["cmdline"]
        time.sleep(0.3)


def standby_ports():
    """The Runtime API ports of the runtime processes started as standbys on this host (their
    start-up environment; readable by the same user)."""
    ports = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"--standby" not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                variables = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
        except OSError:
            continue
        if b"_NIMBUS_STANDBY_TOKEN" in variables and b"AWS_LAMBDA_RUNTIME_API" in variables:
            ports.add(int(variables[b"AWS_LAMBDA_RUNTIME_API"].rsplit(b":", 1)[1]))
    return ports


def test_a_standbys_port_alone_gets_no_function(lam, deploy):
    cold_start_on_a_standby(lam, deploy)
    time.sleep(1)
    ports = standby_ports()
    if not ports:
        pytest.skip("no standby process is visible from here")
    for port in ports:
        for headers in ({}, {"Nimbus-Standby-Token": "guess"}):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/nimbus/standby/assignment", headers=headers)
            response = connection.getresponse()
            assert response.status == 403, (port, response.status, response.read()[:200])
            connection.close()
    # The standbys are untouched: the next cold start still takes one.
    cold_start_on_a_standby(lam, deploy)
