"""One handler for the python compat tests; the event's "action" picks what it does.

Module-level state (COUNT, INSTANCE) lives as long as the instance does, so the
tests can tell a warm instance (reused) from a fresh one. Imports the tests do
not always need (boto3) happen inside their action, to keep cold starts cheap.
The same file runs under awslambdaric (functions/python_ric).
"""

import errno
import json
import logging
import os
import sys
import time

COUNT = 0
INSTANCE = os.urandom(8).hex()


def _context(event, context):
    client_context = getattr(context, "client_context", None)
    return {
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "aws_request_id": context.aws_request_id,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "client_context_custom": getattr(client_context, "custom", None) if client_context else None,
        "event": event,
    }


def _environment(event, context):
    return {"environ": dict(os.environ), "cwd": os.getcwd()}


def _count(event, context):
    return {
        "count": COUNT,
        "instance": INSTANCE,
        "pid": os.getpid(),
        "stream": context.log_stream_name,
        "marker": os.environ.get("MARKER"),
    }


def _sleep(event, context):
    time.sleep(event["seconds"])
    return {"slept": event["seconds"], "stream": context.log_stream_name, "instance": INSTANCE}


def _raise(event, context):
    raise ValueError(event.get("message", "boom"))


def _exit(event, context):
    sys.exit(event["code"])


def _allocate(event, context):
    # bytes multiplication writes every byte, so the pages are really resident.
    data = b"\x01" * (event["mb"] * 1024 * 1024)
    time.sleep(event.get("hold", 3))  # give a polling memory watchdog time to see it
    return {"allocated": len(data)}


def _big_response(event, context):
    return "x" * event["bytes"]


def _print_lots(event, context):
    line = "y" * 1023 + "\n"
    block = line * 1024  # 1 MiB
    for _ in range(event["mb"]):
        sys.stdout.write(block)
    sys.stdout.flush()
    return {"printed_mb": event["mb"]}


def _fork_bomb(event, context):
    # Children exit at once; unreaped they stay zombies, which hold their pid and count
    # against process limits, so the loop ends at the limit. The cap keeps a platform
    # without a limit from taking the host down with it: the test then fails on the count.
    cap = event.get("cap", 3000)
    count = 0
    failure = None
    try:
        while count < cap:
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            count += 1
    except OSError as error:
        failure = errno.errorcode.get(error.errno, str(error.errno))
    reaped = 0
    while True:
        try:
            os.waitpid(-1, 0)
            reaped += 1
        except ChildProcessError:
            break
    return {"count": count, "error": failure, "reaped": reaped}


def _tmp_write(event, context):
    with open(event["path"], "w") as f:
        f.write(event["text"])
    return {"written": event["path"]}


def _tmp_read(event, context):
    try:
        with open(event["path"]) as f:
            return {"exists": True, "text": f.read(), "instance": INSTANCE}
    except FileNotFoundError:
        return {"exists": False, "instance": INSTANCE}


def _write_task_root(event, context):
    path = os.path.join(os.environ["LAMBDA_TASK_ROOT"], "written-by-handler.txt")
    try:
        with open(path, "w") as f:
            f.write("x")
    except OSError as error:
        return {"wrote": False, "errno": errno.errorcode.get(error.errno, str(error.errno))}
    return {"wrote": True}


def _log(event, context):
    print(event["line"])
    root = logging.getLogger()
    root.setLevel(logging.INFO)  # AWS leaves the root logger at WARNING; functions raise it like this
    root.info(event["info"])
    return {"logged": True}


def _process(event, context):
    """How the process was started and what it sees of the filesystem (standby tests)."""
    with open("/proc/self/cmdline", "rb") as f:
        cmdline = [a.decode() for a in f.read().split(b"\0") if a]
    with open("/proc/self/mountinfo") as f:
        task_mounts = [line.split()[4] for line in f if line.split()[4] == "/var/task"]
    root = os.environ["LAMBDA_TASK_ROOT"]
    return {
        "cmdline": cmdline,
        "cwd": os.getcwd(),
        "task_root": root,
        "files": sorted(os.listdir(root)),
        "task_mounts": len(task_mounts),
        "sys_path": sys.path,
        "name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME"),
        "marker": os.environ.get("MARKER"),
        "stream": context.log_stream_name,
    }


def _cpus(event, context):
    return {"cpus": sorted(os.sched_getaffinity(0))}


def _boto3(event, context):
    import boto3  # the runtime provides boto3, as AWS's python runtimes do

    lam = boto3.client("lambda")  # no endpoint: AWS_ENDPOINT_URL must lead to Nimbus
    page = lam.list_functions(MaxItems=50)
    names = []
    while True:
        names += [f["FunctionName"] for f in page["Functions"]]
        marker = page.get("NextMarker")
        if not marker:
            break
        page = lam.list_functions(MaxItems=50, Marker=marker)
    return {"names": names}


ACTIONS = {
    "echo": lambda event, context: {"event": event},
    "context": _context,
    "environment": _environment,
    "count": _count,
    "sleep": _sleep,
    "raise": _raise,
    "exit": _exit,
    "allocate": _allocate,
    "big_response": _big_response,
    "print_lots": _print_lots,
    "fork_bomb": _fork_bomb,
    "tmp_write": _tmp_write,
    "tmp_read": _tmp_read,
    "write_task_root": _write_task_root,
    "log": _log,
    "boto3": _boto3,
    "cpus": _cpus,
    "process": _process,
}


def handler(event, context):
    global COUNT
    COUNT += 1
    action = event.get("action", "echo") if isinstance(event, dict) else "echo"
    return ACTIONS[action](event, context)
