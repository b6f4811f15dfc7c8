"""Deployment packages and invocations for the Lambda compat tests.

Function sources live in `functions/<name>/`; `zip_function` packs one folder
(plus, optionally, a pip `--target` folder at the zip's root) into an in-memory
zip with explicit Unix modes, because a custom runtime's `bootstrap` must keep
its executable bit. `pip_target` installs packages from PyPI once per machine
into `.cache/` (ignored by git) so runs after the first pay nothing for it.
"""

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import ClientError

FUNCTIONS_DIR = Path(__file__).parent / "functions"
CACHE_DIR = Path(__file__).parent / ".cache"
ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ACCOUNT_ID = "000000000000"
REGION = "us-east-1"
MAX_SYNC_PAYLOAD = 6 * 1024 * 1024

# A fixed timestamp: zips of the same files are byte-identical (same CodeSha256).
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)
_SKIPPED_NAMES = {"__pycache__", ".DS_Store", ".complete"}


def function_arn(name):
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}"


def _add(archive, name, data, mode):
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.create_system = 3  # Unix, so unzip tools honour the mode bits below
    info.external_attr = (0o100000 | mode) << 16  # regular file + permission bits
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def make_zip(files, executables=()):
    """{name: str | bytes} → zip bytes; names in `executables` get mode 0755, the rest 0644."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            _add(archive, name, data, 0o755 if name in executables else 0o644)
    return buffer.getvalue()


def _tree_files(root):
    """(relative posix path, absolute path) of every file under `root`, sorted."""
    root = Path(root)
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED_NAMES)
        for file_name in sorted(files):
            if file_name in _SKIPPED_NAMES or file_name.endswith(".pyc"):
                continue
            path = Path(directory) / file_name
            found.append((path.relative_to(root).as_posix(), path))
    return found


def function_files(name):
    """{relative path: bytes} of `functions/<name>/`."""
    folder = FUNCTIONS_DIR / name
    if not folder.is_dir():
        raise FileNotFoundError(f"no test function sources in {folder}")
    return {relative: path.read_bytes() for relative, path in _tree_files(folder)}


def zip_function(name, executables=(), extra_files=None, site_packages=None, without=()):
    """Zip `functions/<name>/` (plus `extra_files`, plus the contents of the
    `site_packages` folders at the root, as `pip install --target` lays them out).
    Files in `without` are left out."""
    files = {}
    for folder in site_packages or ():
        for relative, path in _tree_files(folder):
            files[relative] = path.read_bytes()
    files.update(function_files(name))
    files.update(extra_files or {})
    for name_to_drop in without:
        files.pop(name_to_drop, None)
    return make_zip(files, executables=executables)


def zip_entry_modes(zip_bytes):
    """{name: permission bits} as stored in a zip (for checking our own packaging)."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {info.filename: (info.external_attr >> 16) & 0o777 for info in archive.infolist()}


# ---------------------------------------------------------------- pip cache


class PipUnavailable(Exception):
    """pip could not install the packages (no network to PyPI, most likely); the message says why."""


def pip_target(*requirements, python=None):
    """A folder with `requirements` installed by `pip install --target`, built once and
    kept under .cache/ keyed by the requirements and the interpreter's version and
    platform (wheels with C extensions are specific to both)."""
    python = python or sys.executable
    version = subprocess.run(
        [python, "-c", "import sys, sysconfig; print('%d%d-%s' % (sys.version_info[:2] + (sysconfig.get_platform(),)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    key = "-".join(r.replace("=", "").replace("<", "").replace(">", "") for r in requirements)
    target = CACHE_DIR / f"pip-{key}-py{version}"
    marker = target / ".complete"
    if marker.exists():
        return target
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.", dir=CACHE_DIR))
    command = [
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-warn-script-location",
        "--no-compile",
        "--target",
        str(staging),
        *requirements,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        shutil.rmtree(staging, ignore_errors=True)
        raise PipUnavailable(f"{' '.join(command)} did not finish within 600 s") from None
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise PipUnavailable(f"pip install {' '.join(requirements)} failed (is PyPI reachable?):\n{tail}")
    (staging / ".complete").write_text(" ".join(requirements) + "\n")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


# ---------------------------------------------------------------- invoking


@dataclass
class Invocation:
    """What an Invoke returned, decoded."""

    status: int
    function_error: str | None
    executed_version: str | None
    request_id: str | None
    raw: bytes
    log: str | None
    headers: dict = field(default_factory=dict)

    @property
    def payload(self):
        """The payload parsed as JSON (raises if it is not JSON)."""
        return json.loads(self.raw) if self.raw else None

    def describe(self):
        text = self.raw[:2000].decode(errors="replace")
        return f"status={self.status} FunctionError={self.function_error} payload={text}"


def invoke(lam, name, payload=None, **arguments):
    """Invoke `name` with a JSON-able `payload` (or raw bytes) and decode the response."""
    if payload is not None:
        arguments["Payload"] = payload if isinstance(payload, (bytes, bytearray)) else json.dumps(payload).encode()
    response = lam.invoke(FunctionName=name, **arguments)
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    log = response.get("LogResult")
    return Invocation(
        status=response["StatusCode"],
        function_error=response.get("FunctionError"),
        executed_version=response.get("ExecutedVersion"),
        request_id=headers.get("x-amzn-requestid") or response["ResponseMetadata"].get("RequestId"),
        raw=response["Payload"].read(),
        log=base64.b64decode(log).decode(errors="replace") if log is not None else None,
        headers=headers,
    )


def started_request_id(log):
    """The request id of the `START RequestId: … Version: …` line in a log tail."""
    match = re.search(r"^START RequestId: ([0-9a-f-]+) Version: ", log or "", re.M)
    assert match, f"no START line in the log tail:\n{log}"
    return match.group(1)


def create_function(lam, name, zip_bytes, runtime="python3.12", handler="app.handler", **overrides):
    """CreateFunction, then wait until it is Active (Invoke refuses Pending functions on AWS)."""
    arguments = dict(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler, Code={"ZipFile": zip_bytes})
    arguments.update(overrides)
    created = lam.create_function(**arguments)
    lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    return created


def deployer(lam, prefix, default_zip=None):
    """Backs a test module's `deploy` fixture: yields `make(zip_bytes, runtime, handler, lam=…,
    **CreateFunction arguments)` → the name of a new, Active function, and deletes every function
    it made once the test is done."""
    made = []

    def make(zip_bytes=default_zip, runtime="python3.12", handler="app.handler", lam=lam, **overrides):
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        made.append((lam, name))
        create_function(lam, name, zip_bytes, runtime=runtime, handler=handler, **overrides)
        return name

    yield make
    for owner, name in made:
        try:
            owner.delete_function(FunctionName=name)
        except ClientError:
            pass


def update_configuration(lam, name, **changes):
    """UpdateFunctionConfiguration, then wait until the update is Successful."""
    lam.update_function_configuration(FunctionName=name, **changes)
    lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})


def update_code(lam, name, zip_bytes):
    lam.update_function_code(FunctionName=name, ZipFile=zip_bytes)
    lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
