"""A Swift function: examples/swift-hello, built on the NimbusLambdaRuntime library, zipped as a
`bootstrap` executable, created as a provided.al2023 function with boto3 and invoked.

The example is built in release with a static Swift runtime (as for AWS, whose hosts have no
Swift), once per run; SwiftPM's own incremental build in examples/swift-hello/.build makes a
second run cheap. Skips when no `swift` toolchain is installed.
"""

import io
import json
import os
import shutil
import statistics
import subprocess
import time
import uuid
import zipfile

import pytest
from botocore.exceptions import ClientError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "examples", "swift-hello")
ROLE = "arn:aws:iam::000000000000:role/lambda-role"
TIMEOUT_SECONDS = 10
# A first build resolves the Nimbus package's dependency graph and compiles the runtime
# library in release: about a minute and a half on 2 cores.
BUILD_TIMEOUT_SECONDS = 900


def swift_executable():
    found = shutil.which("swift")
    if found:
        return found
    if os.access("/opt/swift/usr/bin/swift", os.X_OK):
        return "/opt/swift/usr/bin/swift"
    return None


@pytest.fixture(scope="module")
def hello_zip():
    """The example's release binary, stripped, zipped as an executable `bootstrap`."""
    swift = swift_executable()
    if swift is None:
        pytest.skip("no swift toolchain on PATH or in /opt/swift: cannot build examples/swift-hello")
    build = [swift, "build", "-c", "release", "--product", "hello", "--static-swift-stdlib", "-Xlinker", "-s"]
    started = time.monotonic()
    result = subprocess.run(
        build, cwd=EXAMPLE, capture_output=True, text=True, timeout=BUILD_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, f"{' '.join(build)} failed in {EXAMPLE}:\n{result.stdout}\n{result.stderr}"
    build_seconds = time.monotonic() - started
    bin_dir = subprocess.run(
        [swift, "build", "-c", "release", "--show-bin-path"], cwd=EXAMPLE, capture_output=True, text=True, check=True
    ).stdout.strip()
    with open(os.path.join(bin_dir, "hello"), "rb") as binary:
        executable = binary.read()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("bootstrap", date_time=(2024, 1, 1, 0, 0, 0))
        info.external_attr = 0o100755 << 16  # a regular file, executable: Lambda runs it as is
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, executable)
    data = buffer.getvalue()
    print(f"examples/swift-hello: built in {build_seconds:.1f}s, bootstrap {len(executable)} bytes, zip {len(data)} bytes")
    return data


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def hello_function(lam, hello_zip):
    name = f"swift-hello-{uuid.uuid4().hex[:8]}"
    lam.create_function(
        FunctionName=name,
        Runtime="provided.al2023",
        Role=ROLE,
        Handler="hello",  # provided runtimes ignore it: the zip's bootstrap is the function
        Code={"ZipFile": hello_zip},
        Timeout=TIMEOUT_SECONDS,
        MemorySize=256,
    )
    lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    yield name
    try:
        lam.delete_function(FunctionName=name)
    except ClientError:
        pass


def invoke(lam, name, event):
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return response, json.loads(response["Payload"].read())


def test_swift_function_answers_with_its_context(lam, hello_function):
    response, payload = invoke(lam, hello_function, {"name": "Nimbus"})
    assert response["StatusCode"] == 200
    assert "FunctionError" not in response, payload
    assert payload["greeting"] == "Hello, Nimbus"
    # The Lambda request id the function sees is the invoke's x-amzn-RequestId.
    assert payload["requestId"] == response["ResponseMetadata"]["RequestId"]
    assert 0 < payload["remainingMs"] <= TIMEOUT_SECONDS * 1000
    assert payload["invocations"] == 1

    response, payload = invoke(lam, hello_function, {})
    assert "FunctionError" not in response, payload
    assert payload["greeting"] == "Hello, World"
    assert payload["invocations"] == 2, "the warm instance serves the second invocation"


def test_swift_handler_error_is_an_unhandled_function_error(lam, hello_function):
    response, payload = invoke(lam, hello_function, {"name": "fail"})
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert payload == {"errorMessage": "refusing to greet 'fail'", "errorType": "GreetingError", "stackTrace": []}

    # The instance survives its handler's error.
    response, payload = invoke(lam, hello_function, {"name": "again"})
    assert "FunctionError" not in response, payload
    assert payload["greeting"] == "Hello, again"


def test_event_the_handler_cannot_decode_is_an_unmarshal_error(lam, hello_function):
    response, payload = invoke(lam, hello_function, {"name": 42})
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.UnmarshalError"
    assert payload["errorMessage"].startswith("Unable to unmarshal input: name: Expected to decode String"), payload


def test_swift_function_invoke_times(lam, hello_function, capsys):
    """Prints the cold (first) and warm invoke latency through the edge; asserts nothing about them."""
    started = time.perf_counter()
    response, _ = invoke(lam, hello_function, {"name": "cold"})
    cold_ms = (time.perf_counter() - started) * 1000
    assert "FunctionError" not in response
    warm = []
    for i in range(20):
        started = time.perf_counter()
        response, _ = invoke(lam, hello_function, {"name": f"warm {i}"})
        warm.append((time.perf_counter() - started) * 1000)
        assert "FunctionError" not in response
    with capsys.disabled():
        print(f"\nswift-hello through boto3: cold invoke {cold_ms:.1f} ms, warm invoke median {statistics.median(warm):.2f} ms")


def test_zip_keeps_the_bootstrap_executable(hello_zip):
    with zipfile.ZipFile(io.BytesIO(hello_zip)) as archive:
        (info,) = archive.infolist()
    assert info.filename == "bootstrap"
    assert (info.external_attr >> 16) & 0o111 == 0o111
