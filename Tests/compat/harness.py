"""Starting and stopping real `nimbus serve` processes for the compat suite.

Every process is stopped by its own PID (SIGTERM, then SIGKILL), never by name,
and each server gets its own port and data directory so tests cannot see each
other's state.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HEALTH_PATH = "/_nimbus/health"
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 10


class ServerFailed(Exception):
    """A server did not start, or did not stop, as it should; the message carries its log."""


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(extra=None):
    """The caller's environment without NIMBUS_* settings, plus `extra`.

    A NIMBUS_VERIFY_SIGNATURES=1 left in a developer's shell must not change
    what a test means.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIMBUS_")}
    env.update(extra or {})
    return env


def get_health(endpoint, timeout=2.0):
    """(status, parsed JSON body or None, headers) of GET /_nimbus/health."""
    try:
        with urllib.request.urlopen(endpoint + HEALTH_PATH, timeout=timeout) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    try:
        return status, json.loads(body), headers
    except ValueError:
        return status, None, headers


@dataclass
class ServerProcess:
    """One running `nimbus serve`, started by `launch`."""

    endpoint: str
    port: int
    data_dir: Path
    log_path: Path
    process: subprocess.Popen

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no log)"

    def is_running(self):
        return self.process.poll() is None

    def signal(self, signum):
        if self.is_running():
            self.process.send_signal(signum)

    def wait(self, timeout):
        """The exit code, or None if the process still runs after `timeout` seconds."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        """SIGTERM, then SIGKILL after STOP_TIMEOUT_SECONDS; returns the exit code."""
        self.signal(signal.SIGTERM)
        code = self.wait(STOP_TIMEOUT_SECONDS)
        if code is None:
            self.process.kill()
            code = self.process.wait()
        return code


def launch(nimbus_bin, args, work_dir, env=None, data_dir=None):
    """Start `nimbus serve` on a free port and wait until its health check answers 200.

    `args` are extra `serve` arguments; `data_dir` reuses an existing data
    directory (for restart tests), otherwise a fresh one under `work_dir` is used
    (and not created beforehand: the server must create it).
    """
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    data_dir = Path(data_dir) if data_dir else work_dir / "data"
    log_path = work_dir / f"server-{port}.log"
    command = [nimbus_bin, "serve", "--port", str(port), "--data-dir", str(data_dir), *args]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=server_environment(env)
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", port, data_dir, log_path, process)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not server.is_running():
            raise ServerFailed(f"{' '.join(command)} exited with {process.returncode} before it was healthy:\n{server.log()}")
        try:
            if get_health(server.endpoint)[0] == 200:
                return server
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)
    server.stop()
    raise ServerFailed(f"{' '.join(command)} was not healthy within {START_TIMEOUT_SECONDS}s:\n{server.log()}")


def run_expecting_exit(nimbus_bin, args, env=None, timeout=10):
    """Run `nimbus serve ARGS` and return its CompletedProcess, for refuse-to-start tests.

    Raises ServerFailed (after killing it) if it is still running after `timeout`
    seconds, i.e. it started when it should have refused.
    """
    command = [nimbus_bin, "serve", *args]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=server_environment(env),
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise ServerFailed(f"{' '.join(command)} was still running after {timeout}s:\n{stdout}{stderr}") from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
