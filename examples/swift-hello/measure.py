"""Runs the built `hello` bootstrap against the fake Runtime API of Tests/runtimes and prints
what it answers and how fast: spawn → first `next`, and the per-invocation round trip (the
fake pushes an event, the runtime fetches, handles and posts it back). The python bootstrap
is measured the same way, as a baseline for the fake's own cost. Prints; asserts only that
the answers are right.

    swift build -c release --product hello --static-swift-stdlib
    python3 measure.py [--bootstrap .build/release/hello] [--invocations 500] [--cold-starts 20]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "Tests", "runtimes"))

import http.server  # noqa: E402

from conftest import PYTHON_BOOTSTRAP, FakeRuntimeAPI  # noqa: E402

# The fake writes a response's head and body in two sends; with Nagle's algorithm on, the
# body waits for the client's delayed ACK (40 ms), which would swamp what is measured here.
http.server.BaseHTTPRequestHandler.disable_nagle_algorithm = True

PYTHON_HANDLER = """
count = 0
def handler(event, context):
    global count
    if event.get("name") == "fail":
        raise ValueError("refusing to greet 'fail'")
    count += 1
    return {"greeting": "Hello, " + event.get("name", "World"), "requestId": context.aws_request_id,
            "remainingMs": context.get_remaining_time_in_millis(), "invocations": count}
"""


def environment(api, task):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_LAMBDA_RUNTIME_API": api.address,
        "LAMBDA_TASK_ROOT": task,
        "_HANDLER": "app.handler",
        "AWS_LAMBDA_FUNCTION_NAME": "hello",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/hello",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2024/01/01/[$LATEST]0123456789abcdef",
    }


def start(argv, api, task):
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=environment(api, task), cwd=task, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, started


def stop(proc):
    if proc.poll() is None:
        proc.kill()
    proc.wait(5)
    return proc.stdout.read().decode("utf-8", "replace")


def cold_start_ms(argv, task, runs):
    samples = []
    for _ in range(runs):
        api = FakeRuntimeAPI()
        try:
            proc, started = start(argv, api, task)
            api.wait_next_calls(1)
            samples.append((time.perf_counter() - started) * 1000)
            stop(proc)
        finally:
            api.close()
    return samples


def check_answers(argv, task):
    api = FakeRuntimeAPI()
    proc, _ = start(argv, api, task)
    try:
        kind, headers, body = api.invoke({"name": "Nimbus"}, request_id="req-1")
        assert kind == "response", (kind, body)
        assert body["greeting"] == "Hello, Nimbus" and body["requestId"] == "req-1", body
        assert 0 < body["remainingMs"] <= 30_000 and body["invocations"] == 1, body
        kind, headers, body = api.invoke({"name": "fail"}, request_id="req-2")
        assert kind == "error", (kind, body)
        kind, _, body = api.invoke({}, request_id="req-3")
        assert kind == "response" and body["greeting"] == "Hello, World" and body["invocations"] == 2, body
        return headers, body
    finally:
        output = stop(proc)
        api.close()
        print(output.rstrip())


def round_trip_us(argv, task, invocations):
    api = FakeRuntimeAPI()
    proc, _ = start(argv, api, task)
    try:
        api.invoke({"name": "warm-up"})
        samples = []
        for i in range(invocations):
            started = time.perf_counter()
            kind, _, _ = api.invoke({"name": "n%d" % i})
            samples.append((time.perf_counter() - started) * 1e6)
            assert kind == "response"
        return samples
    finally:
        stop(proc)
        api.close()


def summary(samples, unit):
    samples = sorted(samples)
    p90 = samples[int(len(samples) * 0.9) - 1]
    return "median %.1f %s, p90 %.1f %s, min %.1f %s (n=%d)" % (
        statistics.median(samples), unit, p90, unit, samples[0], unit, len(samples))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", default=os.path.join(HERE, ".build", "release", "hello"))
    parser.add_argument("--invocations", type=int, default=500)
    parser.add_argument("--cold-starts", type=int, default=20)
    args = parser.parse_args()
    if not os.access(args.bootstrap, os.X_OK):
        sys.exit("%s is not built: swift build -c release --product hello --static-swift-stdlib" % args.bootstrap)

    with tempfile.TemporaryDirectory() as task:
        with open(os.path.join(task, "app.py"), "w") as f:
            f.write(PYTHON_HANDLER)
        swift = [args.bootstrap]
        python = [sys.executable, PYTHON_BOOTSTRAP]

        print("== swift bootstrap against the fake Runtime API")
        headers, _ = check_answers(swift, task)
        api = FakeRuntimeAPI()
        proc, _ = start(swift, api, task)
        try:
            kind, headers, body = api.invoke({"name": "fail"}, request_id="req-fail")
            print("error report:", kind, headers.get("lambda-runtime-function-error-type"), json.dumps(body))
            assert kind == "error" and body == {"errorMessage": "refusing to greet 'fail'", "errorType": "GreetingError", "stackTrace": []}
        finally:
            stop(proc)
            api.close()

        for name, argv in (("swift", swift), ("python", python)):
            cold = cold_start_ms(argv, task, args.cold_starts)
            warm = round_trip_us(argv, task, args.invocations)
            print("%-6s spawn -> first next: %s" % (name, summary(cold, "ms")))
            print("%-6s invoke round trip:   %s" % (name, summary(warm, "us")))


if __name__ == "__main__":
    main()
