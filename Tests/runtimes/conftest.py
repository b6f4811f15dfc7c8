"""Fixtures for the runtime bootstrap tests: a fake Lambda Runtime API and function processes."""

import http.server
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_BOOTSTRAP = os.path.join(REPO, "Runtimes", "python", "bootstrap.py")
NODE_BOOTSTRAP = os.path.join(REPO, "Runtimes", "node", "bootstrap.js")
FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:fn"


class FakeRuntimeAPI:
    """Serves queued invocations on /next and records what the runtime posts back."""

    def __init__(self):
        self.events = queue.Queue()
        self.cond = threading.Condition()
        self.results = {}  # request id -> (kind, headers, body)
        self.init_errors = []  # (headers, body)
        self.next_calls = 0
        self.close_connections = False  # answer every request with Connection: close
        self.assignment = None  # a standby's environment (bytes), answered on /nimbus/standby/assignment
        self.assignment_requests = 0
        self.assignment_tokens = []
        self.connections = set()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", headers=None):
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                if api.close_connections:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                api.connections.add(self.client_address)
                if self.path == "/nimbus/standby/assignment":
                    api.assignment_tokens.append(self.headers.get("Nimbus-Standby-Token"))
                    with api.cond:
                        api.assignment_requests += 1
                        api.cond.notify_all()
                        while api.assignment is None and not api.closed:
                            api.cond.wait(0.5)
                    return self._send(200, api.assignment or b"{}")
                if self.path != "/2018-06-01/runtime/invocation/next":
                    return self._send(404, b'{"errorType":"NotFound"}')
                with api.cond:
                    api.next_calls += 1
                    api.cond.notify_all()
                while True:
                    try:
                        item = api.events.get(timeout=0.5)
                        break
                    except queue.Empty:
                        if api.closed:
                            return
                body, headers = item
                self._send(200, body, headers)

            def do_POST(self):
                api.connections.add(self.client_address)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                m = re.fullmatch(r"/2018-06-01/runtime/invocation/([^/]+)/(response|error)", self.path)
                with api.cond:
                    if m:
                        api.results[m.group(1)] = (m.group(2), headers, body)
                    elif self.path == "/2018-06-01/runtime/init/error":
                        api.init_errors.append((headers, body))
                    else:
                        return self._send(404, b"{}")
                    api.cond.notify_all()
                self._send(202, b'{"status":"OK"}', {"Content-Type": "application/json"})

        self.closed = False
        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                # A function process killed mid-request is expected here.
                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = "127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def push(self, event=None, request_id=None, deadline_ms=None, raw=None, headers=None):
        request_id = request_id or str(uuid.uuid4())
        if deadline_ms is None:
            deadline_ms = int(time.time() * 1000) + 30_000
        h = {
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": request_id,
            "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN,
            "Lambda-Runtime-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        }
        h.update(headers or {})
        body = raw if raw is not None else json.dumps(event).encode()
        self.events.put((body, h))
        return request_id

    def wait_result(self, request_id, timeout=10):
        with self.cond:
            if not self.cond.wait_for(lambda: request_id in self.results, timeout):
                raise AssertionError("no result for %s within %ss" % (request_id, timeout))
            kind, headers, body = self.results[request_id]
        return kind, headers, json.loads(body) if body else None

    def invoke(self, event=None, **kw):
        return self.wait_result(self.push(event, **kw))

    def wait_next_calls(self, n, timeout=10):
        with self.cond:
            if not self.cond.wait_for(lambda: self.next_calls >= n, timeout):
                raise AssertionError("only %d /next calls within %ss" % (self.next_calls, timeout))

    def wait_init_error(self, timeout=10):
        with self.cond:
            if not self.cond.wait_for(lambda: self.init_errors, timeout):
                raise AssertionError("no init error within %ss" % timeout)
            headers, body = self.init_errors[0]
        return headers, json.loads(body)

    def close(self):
        self.closed = True
        self.server.shutdown()
        self.server.server_close()


class FunctionProcess:
    def __init__(self, proc):
        self.proc = proc
        self.lines = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            with self.cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, pattern, timeout=10):
        rx = re.compile(pattern)
        with self.cond:
            found = []

            def match():
                found[:] = [l for l in self.lines if rx.search(l)]
                return found

            if not self.cond.wait_for(match, timeout):
                raise AssertionError("no line matching %r in %r" % (pattern, self.lines))
            return found[0]

    def wait_exit(self, timeout=10):
        return self.proc.wait(timeout)


@pytest.fixture
def runtime_api():
    api = FakeRuntimeAPI()
    yield api
    api.close()


@pytest.fixture
def start_function(tmp_path, runtime_api):
    """start_function(lang, files, handler, env=None, standby=False) -> FunctionProcess.

    With `standby`, the runtime starts with `--standby` and almost no environment, outside the
    task root, and gets the function's environment as its assignment (as Nimbus's standbys do)."""
    procs = []

    def start(lang, files, handler, env=None, standby=False):
        task = tmp_path / "task"
        task.mkdir(exist_ok=True)
        for name, text in files.items():
            p = task / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        environ = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "AWS_LAMBDA_RUNTIME_API": runtime_api.address,
            "_HANDLER": handler,
            "LAMBDA_TASK_ROOT": str(task),
            "AWS_LAMBDA_FUNCTION_NAME": "fn",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/fn",
            "AWS_LAMBDA_LOG_STREAM_NAME": "2024/01/01/[$LATEST]0123456789abcdef",
            "AWS_REGION": "us-east-1",
        }
        environ.update(env or {})
        if lang == "python":
            argv = [sys.executable, PYTHON_BOOTSTRAP]
        else:
            node = shutil.which("node")
            if node is None:
                pytest.skip("node is not installed")
            argv = [node, NODE_BOOTSTRAP]
        cwd = str(task)
        if standby:
            runtime_api.assignment = json.dumps(environ).encode()
            environ = {k: environ[k] for k in ("PATH", "LANG", "TZ", "AWS_LAMBDA_RUNTIME_API")}
            environ["STANDBY_ONLY"] = "1"
            environ["_NIMBUS_STANDBY_TOKEN"] = "token-1"
            argv.append("--standby")
            cwd = str(tmp_path)
        proc = subprocess.Popen(argv, env=environ, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        fp = FunctionProcess(proc)
        procs.append(fp)
        return fp

    yield start
    for fp in procs:
        if fp.proc.poll() is None:
            os.kill(fp.proc.pid, 9)
        fp.proc.wait(5)
        fp.proc.stdout.close()
