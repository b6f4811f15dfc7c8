#!/usr/bin/env python3
"""Helpers for scripts/bench.d/lambda: functions, cold starts, footprint, process starts.

Every subcommand talks only to 127.0.0.1 and prints JSON lines on stdout (one object per
line) for the bash driver to tabulate; progress goes to stderr. Functions are created with
boto3 (unsigned requests are fine on loopback, but boto3 signs anyway); invocations that
are timed go over a raw, persistent http.client connection so that the client costs
microseconds, not boto3's milliseconds.

  zips --out DIR --bootstrap BIN          python.zip, node.zip, provided.zip (no-op handlers)
  cold --endpoint URL --zips DIR --count N [--runtimes python,node,provided]
                                          N fresh functions per runtime, first invoke of each
  warm-setup --endpoint URL --zips DIR    functions warm-python and warm-provided, invoked once
  prewarm --endpoint URL --function F --concurrency N
                                          N simultaneous invokes, 3 rounds (scale the pool out)
  instances --server-pid PID              RSS/PSS of every instance (children of the server)
  footprint --endpoint URL --zips DIR --server-pid PID --count N
                                          N python functions invoked once, then RSS of all
  spawn-time --runs N -- CMD...           bare process start (fallback when hyperfine is missing)
  importtime FILE --baseline FILE         the bootstrap's imports beyond `python3 -S -c pass`
  report RUN.jsonl                        the table, targets and summary line of one run
"""

import argparse
import base64
import http.client
import io
import json
import os
import re
import sys
import time
import zipfile
from urllib.parse import urlparse

ROLE = "arn:aws:iam::000000000000:role/nimbus-bench"
RUNTIMES = {
    # name: (Lambda runtime, handler, zip name)
    "python": ("python3.12", "app.handler", "python.zip"),
    "node": ("nodejs20.x", "index.handler", "node.zip"),
    "provided": ("provided.al2023", None, "provided.zip"),
}


def log(msg):
    sys.stderr.write("[lambda-bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def percentile(values, p):
    """Nearest-rank percentile of a list (None when empty)."""
    if not values:
        return None
    s = sorted(values)
    rank = max(1, min(len(s), int(-(-p * len(s) // 100))))
    return s[rank - 1]


def stats(values, scale=1.0, digits=2):
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50) * scale, digits),
        "p90": round(percentile(values, 90) * scale, digits),
        "max": round(max(values) * scale, digits),
        "min": round(min(values) * scale, digits),
    }


# ---------------------------------------------------------------- zips


def zip_bytes(entries):
    """entries: [(name, bytes, mode)] -> zip bytes with the Unix modes stored."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def cmd_zips(a):
    os.makedirs(a.out, exist_ok=True)
    with open(a.bootstrap, "rb") as f:
        bootstrap = f.read()
    zips = {
        "python.zip": [("app.py", b"def handler(event, context):\n    return None\n", 0o644)],
        "node.zip": [("index.js", b"exports.handler = async () => null;\n", 0o644)],
        "provided.zip": [("bootstrap", bootstrap, 0o755)],
    }
    for name, entries in zips.items():
        with open(os.path.join(a.out, name), "wb") as f:
            f.write(zip_bytes(entries))
    log("wrote %s" % ", ".join(sorted(zips)))


# ---------------------------------------------------------------- Lambda API


def lambda_client(endpoint):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, read_timeout=60, connect_timeout=5),
    )


def create_function(client, name, runtime_key, zips_dir):
    runtime, handler, zip_name = RUNTIMES[runtime_key]
    with open(os.path.join(zips_dir, zip_name), "rb") as f:
        code = f.read()
    kwargs = dict(FunctionName=name, Runtime=runtime, Role=ROLE, Code={"ZipFile": code}, Timeout=10, MemorySize=128)
    if handler:
        kwargs["Handler"] = handler
    client.create_function(**kwargs)


def wait_active(client, names, timeout=60):
    deadline = time.monotonic() + timeout
    for name in names:
        while True:
            state = client.get_function_configuration(FunctionName=name).get("State")
            if state == "Active":
                break
            if state == "Failed" or time.monotonic() > deadline:
                raise SystemExit("function %s did not become Active (state %s)" % (name, state))
            time.sleep(0.02)


class Invoker:
    """A persistent raw HTTP/1.1 connection to the Invoke API."""

    def __init__(self, endpoint):
        u = urlparse(endpoint)
        self.host, self.port = u.hostname, u.port or 80
        self.conn = None

    def invoke(self, name, body=b"{}", tail=False):
        """Returns (seconds, status, function_error, payload bytes, decoded log tail)."""
        headers = {"Content-Type": "application/json"}
        if tail:
            headers["X-Amz-Log-Type"] = "Tail"
        path = "/2015-03-31/functions/%s/invocations" % name
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.connect()
            try:
                t0 = time.perf_counter()
                self.conn.request("POST", path, body=body, headers=headers)
                r = self.conn.getresponse()
                payload = r.read()
                t1 = time.perf_counter()
                break
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        logtail = r.getheader("X-Amz-Log-Result")
        if logtail:
            logtail = base64.b64decode(logtail).decode("utf-8", "replace")
        return t1 - t0, r.status, r.getheader("X-Amz-Function-Error"), payload, logtail


INIT_RE = re.compile(r"Init Duration: ([0-9.]+) ms")
DURATION_RE = re.compile(r"\tDuration: ([0-9.]+) ms")


def cmd_cold(a):
    client = lambda_client(a.endpoint)
    runtimes = [r for r in a.runtimes.split(",") if r]
    names = {r: ["%s-cold-%s-%03d" % (a.prefix, r, i) for i in range(a.count)] for r in runtimes}
    t = time.monotonic()
    for r in runtimes:
        for n in names[r]:
            create_function(client, n, r, a.zips)
        wait_active(client, names[r])
    log("created %d functions in %.1f s" % (sum(len(v) for v in names.values()), time.monotonic() - t))
    inv = Invoker(a.endpoint)
    samples = {r: [] for r in runtimes}
    inits = {r: [] for r in runtimes}
    durations = {r: [] for r in runtimes}
    errors = {r: 0 for r in runtimes}
    # Round robin across runtimes, so background load drifts hit all of them alike.
    for i in range(a.count):
        for r in runtimes:
            secs, status, ferr, payload, tail = inv.invoke(names[r][i], tail=True)
            if status != 200 or ferr or payload.strip() != b"null":
                errors[r] += 1
                log("%s: HTTP %s %s %r" % (names[r][i], status, ferr or "", payload[:300]))
                continue
            samples[r].append(secs)
            m = INIT_RE.search(tail or "")
            if m:
                inits[r].append(float(m.group(1)) / 1000)
            m = DURATION_RE.search(tail or "")
            if m:
                durations[r].append(float(m.group(1)) / 1000)
            time.sleep(a.gap)
    for r in runtimes:
        out = {"phase": a.phase, "runtime": r, "errors": errors[r]}
        for k, v in stats(samples[r], 1000).items():
            out["invoke_" + k + ("_ms" if k != "n" else "")] = v
        for k, v in stats(inits[r], 1000).items():
            if k != "n":
                out["init_" + k + "_ms"] = v
        for k, v in stats(durations[r], 1000).items():
            if k in ("p50",):
                out["report_duration_" + k + "_ms"] = v
        emit(out)


def cmd_warm_setup(a):
    client = lambda_client(a.endpoint)
    inv = Invoker(a.endpoint)
    for r in ("python", "provided"):
        name = "%s-warm-%s" % (a.prefix, r)
        create_function(client, name, r, a.zips)
        wait_active(client, [name])
        secs, status, ferr, payload, _ = inv.invoke(name)
        if status != 200 or ferr:
            raise SystemExit("%s: HTTP %s %s %r" % (name, status, ferr, payload[:300]))
        emit({"phase": "warm-setup", "runtime": r, "function": name, "first_invoke_ms": round(secs * 1000, 2)})


def cmd_prewarm(a):
    """--concurrency simultaneous invokes, --rounds times: the pool scales out to that many
    instances before wrk measures (the cold starts stay out of the warm numbers)."""
    import threading

    failures = []
    for _ in range(a.rounds):
        barrier = threading.Barrier(a.concurrency)

        def one():
            inv = Invoker(a.endpoint)
            inv.conn = http.client.HTTPConnection(inv.host, inv.port, timeout=60)
            inv.conn.connect()
            barrier.wait()
            _, status, ferr, payload, _ = inv.invoke(a.function)
            if status != 200 or ferr:
                failures.append((status, ferr, payload[:200]))
            inv.conn.close()

        threads = [threading.Thread(target=one) for _ in range(a.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if failures:
        raise SystemExit("prewarm: %d invokes failed, first: %r" % (len(failures), failures[0]))


# ---------------------------------------------------------------- processes and memory


def children(pid):
    out = []
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return pids


def kib(pid, field, path="status"):
    try:
        with open("/proc/%d/%s" % (pid, path)) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def classify(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return None
    joined = b" ".join(argv)
    if b"bootstrap.py" in joined:
        return "python"
    if b"bootstrap.js" in joined:
        return "node"
    if argv and argv[0].endswith(b"/bootstrap"):
        return "provided"
    return "other"


def function_of(pid):
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            for var in f.read().split(b"\0"):
                if var.startswith(b"AWS_LAMBDA_FUNCTION_NAME="):
                    return var.split(b"=", 1)[1].decode()
    except OSError:
        pass
    return ""


def instance_memory(server_pid, function_prefix=""):
    """{runtime: [(rss_kib, pss_kib, processes)]} for every child tree of the server (only
    instances of functions whose name starts with function_prefix)."""
    out = {}
    for child in children(server_pid):
        kind = classify(child)
        if kind is None or not function_of(child).startswith(function_prefix):
            continue
        procs = tree(child)
        rss = sum(kib(p, "VmRSS") for p in procs)
        pss = sum(kib(p, "Pss", "smaps_rollup") for p in procs)
        out.setdefault(kind, []).append((rss, pss, len(procs)))
    return out


def memory_lines(server_pid, phase, function_prefix=""):
    lines = []
    for kind, rows in sorted(instance_memory(server_pid, function_prefix).items()):
        rss = [r[0] for r in rows]
        pss = [r[1] for r in rows]
        lines.append(
            {
                "phase": phase,
                "runtime": kind,
                "instances": len(rows),
                "rss_p50_mib": round(percentile(rss, 50) / 1024, 1),
                "rss_mean_mib": round(sum(rss) / len(rss) / 1024, 1),
                "pss_mean_mib": round(sum(pss) / len(pss) / 1024, 1),
                "rss_total_mib": round(sum(rss) / 1024, 1),
                "pss_total_mib": round(sum(pss) / 1024, 1),
                "processes_per_instance": max(r[2] for r in rows),
            }
        )
    return lines


def cmd_instances(a):
    for line in memory_lines(a.server_pid, a.phase, a.function_prefix):
        emit(line)


def cmd_footprint(a):
    client = lambda_client(a.endpoint)
    server_before = kib(a.server_pid, "VmRSS")
    names = ["%s-fp-%03d" % (a.prefix, i) for i in range(a.count)]
    t = time.monotonic()
    for n in names:
        create_function(client, n, "python", a.zips)
    wait_active(client, names)
    inv = Invoker(a.endpoint)
    failed = 0
    for n in names:
        _, status, ferr, payload, _ = inv.invoke(n)
        if status != 200 or ferr:
            failed += 1
            log("%s: HTTP %s %s %r" % (n, status, ferr or "", payload[:200]))
    log("created and invoked %d python functions in %.1f s" % (len(names), time.monotonic() - t))
    time.sleep(a.settle)
    mem = instance_memory(a.server_pid)
    py = mem.get("python", [])
    emit(
        {
            "phase": "footprint",
            "functions": len(names),
            "failed": failed,
            "warm_instances": len(py),
            "server_rss_before_mib": round(server_before / 1024, 1),
            "server_rss_mib": round(kib(a.server_pid, "VmRSS") / 1024, 1),
            "server_hwm_mib": round(kib(a.server_pid, "VmHWM") / 1024, 1),
            "server_threads": _threads(a.server_pid),
            "instance_rss_mean_mib": round(sum(r[0] for r in py) / max(1, len(py)) / 1024, 1),
            "instance_pss_mean_mib": round(sum(r[1] for r in py) / max(1, len(py)) / 1024, 1),
            "instances_rss_total_mib": round(sum(r[0] for r in py) / 1024, 1),
            "instances_pss_total_mib": round(sum(r[1] for r in py) / 1024, 1),
        }
    )


def _threads(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmd_spawn_time(a):
    """Bare process start without hyperfine: posix_spawn + waitpid, N runs after 3 warm-ups,
    100 ms apart."""
    times = []
    devnull = os.open(os.devnull, os.O_WRONLY)
    for i in range(a.runs + 3):
        time.sleep(0.1)  # spaced like the cold invokes
        t0 = time.perf_counter()
        pid = os.posix_spawn(a.cmd[0], a.cmd, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        os.waitpid(pid, 0)
        if i >= 3:
            times.append(time.perf_counter() - t0)
    s = stats(times, 1000)
    emit({"median_ms": s["p50"], "min_ms": s["min"], "max_ms": s["max"], "runs": len(times)})


def _importtime(path):
    """[(depth, self_us, cumulative_us, module)] from a `-X importtime` log, in order."""
    out = []
    with open(path) as f:
        for line in f:
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if m:
                out.append((len(m.group(3)) // 2, int(m.group(1)), int(m.group(2)), m.group(4)))
    return out


def cmd_importtime(a):
    """What the bootstrap imports beyond a bare `python3 -S -c pass` (the --baseline log)."""
    boot = _importtime(a.file)
    base = _importtime(a.baseline)
    known = {m for _, _, _, m in base}
    new = [r for r in boot if r[3] not in known]
    own_us = sum(r[1] for r in new)
    heavy = sorted(((r[2], r[3]) for r in new if r[0] == 0), reverse=True)[:5]
    site = [r[2] for r in base if r[3] == "site" and r[0] == 0]
    startup_us = sum(r[2] for r in base if r[0] == 0)
    emit(
        {
            "phase": "importtime",
            "bootstrap_imports_ms": round(own_us / 1000, 1),
            "bootstrap_modules": len(new),
            "heaviest": ", ".join("%s %.1f" % (n, t / 1000) for t, n in heavy),
            "interpreter_startup_imports_ms": round(startup_us / 1000, 1),
            "site_ms": round(site[0] / 1000, 1) if site else None,
        }
    )

# ---------------------------------------------------------------- report


def cmd_report(a):
    rows = [json.loads(l) for l in open(a.file) if l.strip()]

    def find(phase, **kw):
        for r in rows:
            if r.get("phase") == phase and all(r.get(k) == v for k, v in kw.items()):
                return r
        return {}

    def fmt(v, unit="", digits=1):
        if v is None or v == "":
            return "—"
        if isinstance(v, (int, float)):
            s = "{:,.{d}f}".format(v, d=digits).replace(",", " ")
        else:
            s = str(v)
        return s + unit

    def verdict(ok):
        return "met" if ok else "MISSED"

    summary = {"bench": "lambda", "summary": True}
    out = []
    rev = rows[0]["rev"] if rows else "?"
    nproc = rows[0]["nproc"] if rows else "?"
    out.append(
        "lambda benchmark — %s cores; load %s at start, %s at end; rev %s; python %s, node %s, provided bootstrap: %s"
        % (nproc, a.load_start, a.load_end, rev, a.python, a.node, a.provided)
    )
    out.append("")
    out.append("Cold start: Invoke -> response, first call of a new no-op function (client: http.client, persistent connection)")
    out.append(
        "%-9s %4s %9s %9s %9s %11s | %12s %14s %14s | %s"
        % ("runtime", "n", "p50 ms", "p90 ms", "max ms", "Init p50 ms", "bare start", "stub 1st /next", "stub 1st resp", "target")
    )
    targets = {}
    for rt in ("python", "node", "provided"):
        c = find("cold", runtime=rt)
        ps = find("process-start", runtime=rt)
        st = find("stub", runtime=rt)
        p50 = c.get("invoke_p50_ms")
        if rt == "python":
            limit, text = 40.0, "<= 40 ms"
        elif rt == "provided":
            limit, text = 10.0, "<= 10 ms"
        else:
            base = ps.get("median_ms")
            limit = round(1.2 * base, 1) if base else None
            text = "<= 1.2 x node -e 0 = %s ms" % fmt(limit)
        ok = p50 is not None and limit is not None and p50 <= limit
        targets[rt] = ok
        out.append(
            "%-9s %4s %9s %9s %9s %11s | %12s %14s %14s | %s: %s"
            % (
                rt,
                c.get("invoke_n", 0),
                fmt(p50),
                fmt(c.get("invoke_p90_ms")),
                fmt(c.get("invoke_max_ms")),
                fmt(c.get("init_p50_ms")),
                fmt(ps.get("median_ms"), " ms"),
                fmt(st.get("first_next_p50_us", 0) / 1000 if st else None, " ms"),
                fmt(st.get("first_response_p50_us", 0) / 1000 if st else None, " ms"),
                text,
                verdict(ok),
            )
        )
        summary["cold_%s_p50_ms" % rt] = p50
        summary["cold_%s_limit_ms" % rt] = limit
        summary["cold_%s_met" % rt] = ok
        summary["bare_start_%s_ms" % rt] = ps.get("median_ms")
        if c.get("errors"):
            out.append("          (%d invocations failed; see stderr)" % c["errors"])
    out.append("  (a python or node cold start takes a standby runtime, started ahead of need, when one is ready;")
    out.append("  its Init Duration then counts from the standby's assignment; provided always spawns its bootstrap)")
    out.append("")
    out.append("Cold start with every runtime spawned (nimbus serve --standby-instances 0)")
    out.append("%-9s %4s %9s %9s %9s %11s" % ("runtime", "n", "p50 ms", "p90 ms", "max ms", "Init p50 ms"))
    for rt in ("python", "node", "provided"):
        c = find("cold-spawn", runtime=rt)
        out.append(
            "%-9s %4s %9s %9s %9s %11s"
            % (rt, c.get("invoke_n", 0), fmt(c.get("invoke_p50_ms")), fmt(c.get("invoke_p90_ms")),
               fmt(c.get("invoke_max_ms")), fmt(c.get("init_p50_ms")))
        )
        summary["cold_spawn_%s_p50_ms" % rt] = c.get("invoke_p50_ms")
    out.append("  bare start = median start of the process alone in an instance's environment; stub = the same bootstrap")
    out.append("  under a bare Runtime API (C), same environment; Init = the REPORT line's Init Duration (spawn -> first /next)")
    shell = [find("process-start-shell-env", runtime=rt) for rt in ("python", "node")]
    if all(shell):
        out.append("  in this shell's own environment the bare starts are: python3 -S -c pass %s ms, node -e 0 %s ms"
                   % (fmt(shell[0].get("median_ms")), fmt(shell[1].get("median_ms"))))
    it = find("importtime")
    if it:
        out.append(
            "  python bootstrap's own imports (-X importtime, beyond python3 -S -c pass): %s ms in %s modules; heaviest: %s"
            % (fmt(it.get("bootstrap_imports_ms")), it.get("bootstrap_modules"), it.get("heaviest"))
        )
        out.append(
            "  python3 -S -c pass itself imports for %s ms (site: %s ms; instances start with -S, so no .pth file runs)"
            % (fmt(it.get("interpreter_startup_imports_ms")), fmt(it.get("site_ms")))
        )
        summary["python_bootstrap_imports_ms"] = it.get("bootstrap_imports_ms")
    out.append("")

    out.append("Warm: wrk POSTing {} to Invoke (no-op functions)")
    out.append("%-9s %6s %12s %10s %10s %8s %10s" % ("runtime", "conns", "invokes/s", "p50 µs", "p99 µs", "non2xx", "instances"))
    for rt in ("python", "provided"):
        inst = find("after-warm", runtime=rt).get("instances")
        for conns in (1, 8, 32):
            w = find("warm", target=rt, connections=conns)
            out.append(
                "%-9s %6s %12s %10s %10s %8s %10s"
                % (rt, conns, fmt(w.get("rps"), digits=0), fmt(w.get("p50_us")), fmt(w.get("p99_us")), fmt(w.get("non2xx"), digits=0),
                   fmt(inst, digits=0) if conns == 32 else "")
            )
    out.append("  (instances = warm instances of that function after the 32-connection run: one invocation per instance at a time)")
    out.append("")
    out.append("Baselines for the warm numbers")
    lb = find("loopback", target="nginx")
    out.append("  nginx loopback round trip, same wrk client, 1 connection: p50 %s µs, p99 %s µs"
               % (fmt(lb.get("p50_us")), fmt(lb.get("p99_us"))))
    for rt in ("python", "node", "provided"):
        st = find("stub", runtime=rt)
        if st:
            out.append(
                "  %-8s bootstrap under the bare stub: event->response p50 %s µs, p99 %s µs; %s invokes/s per process"
                % (rt, fmt(st.get("e2r_p50_us")), fmt(st.get("e2r_p99_us")), fmt(st.get("invokes_per_s"), digits=0))
            )
    dr = find("dryrun", target="python")
    if dr:
        out.append("  Invoke DryRun (edge + function lookup, no instance), 1 connection: p50 %s µs, p99 %s µs"
                   % (fmt(dr.get("p50_us")), fmt(dr.get("p99_us"))))
        summary["dryrun_p50_us"] = dr.get("p50_us")
    out.append("")
    out.append("Platform overhead = Nimbus p50 at 1 connection - the bootstrap's event->response p50 under the bare stub")
    for rt in ("python", "provided"):
        w = find("warm", target=rt, connections=1)
        st = find("stub", runtime=rt)
        if w and st:
            over = round(w["p50_us"] - st["e2r_p50_us"], 1)
            beyond_rtt = round(over - lb.get("p50_us", 0), 1) if lb else None
            ok = over <= 150
            out.append(
                "  %-8s %s µs (of which one loopback round trip ~%s µs; the rest %s µs): target <= 150 µs: %s"
                % (rt, fmt(over), fmt(lb.get("p50_us")), fmt(beyond_rtt), verdict(ok))
            )
            summary["overhead_%s_p50_us" % rt] = over
            summary["overhead_%s_met" % rt] = ok
    pw = [find("warm", target="python", connections=c) for c in (1, 8, 32)]
    pw = [w for w in pw if w]
    if pw:
        best = max(pw, key=lambda w: w["rps"])
        ok = best["rps"] >= 3000
        out.append("  python no-op throughput: best %s invokes/s (%d connections): target >= 3 000: %s"
                   % (fmt(best["rps"], digits=0), best["connections"], verdict(ok)))
        summary["python_rps_best"] = best["rps"]
        summary["python_rps_met"] = ok
    out.append("")

    out.append("Footprint")
    for rt in ("python", "node", "provided"):
        m = find("idle-instance", runtime=rt)
        if m:
            out.append(
                "  idle warm %-8s instance: RSS %s MiB (PSS %s MiB), %s process(es); %d measured"
                % (rt, fmt(m.get("rss_mean_mib")), fmt(m.get("pss_mean_mib")), m.get("processes_per_instance"), m.get("instances"))
            )
            summary["idle_%s_rss_mib" % rt] = m.get("rss_mean_mib")
    fp = find("footprint")
    if fp:
        out.append(
            "  server with %d warm python instances: RSS %s MiB (fresh server: %s MiB; %s threads); instances: %s MiB RSS, %s MiB PSS in total"
            % (fp.get("warm_instances"), fmt(fp.get("server_rss_mib")), fmt(fp.get("server_rss_before_mib")), fp.get("server_threads"),
               fmt(fp.get("instances_rss_total_mib")), fmt(fp.get("instances_pss_total_mib")))
        )
        summary["server_rss_100_instances_mib"] = fp.get("server_rss_mib")
    sa = find("server-after-warm")
    if sa:
        out.append("  server after the warm runs: RSS %s MiB" % fmt(sa.get("server_rss_mib")))
    summary.update({"nproc": nproc, "loadavg_start": a.load_start, "loadavg_end": a.load_end, "rev": rev,
                    "run": rows[0]["run"] if rows else None})
    print("\n".join(out))
    print(json.dumps(summary, separators=(",", ":")))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("zips")
    s.add_argument("--out", required=True)
    s.add_argument("--bootstrap", required=True)
    s.set_defaults(fn=cmd_zips)
    for name, fn in (("cold", cmd_cold), ("warm-setup", cmd_warm_setup), ("footprint", cmd_footprint)):
        s = sub.add_parser(name)
        s.add_argument("--endpoint", required=True)
        s.add_argument("--zips", required=True)
        s.add_argument("--prefix", default="bench")
        s.add_argument("--count", type=int, default=20)
        s.add_argument("--runtimes", default="python,node,provided")
        s.add_argument("--gap", type=float, default=0.05, help="pause between cold invokes (s)")
        s.add_argument("--server-pid", type=int)
        s.add_argument("--settle", type=float, default=1.0)
        s.add_argument("--phase", default=name, help="the phase its JSON lines name")
        s.set_defaults(fn=fn)
    s = sub.add_parser("prewarm")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--function", required=True)
    s.add_argument("--concurrency", type=int, required=True)
    s.add_argument("--rounds", type=int, default=3)
    s.set_defaults(fn=cmd_prewarm)
    s = sub.add_parser("instances")
    s.add_argument("--server-pid", type=int, required=True)
    s.add_argument("--phase", default="instances")
    s.add_argument("--function-prefix", default="", help="only instances of these functions")
    s.set_defaults(fn=cmd_instances)
    s = sub.add_parser("spawn-time")
    s.add_argument("--runs", type=int, default=30)
    s.add_argument("cmd", nargs="+")
    s.set_defaults(fn=cmd_spawn_time)
    s = sub.add_parser("report")
    s.add_argument("file")
    s.add_argument("--load-start", default="?")
    s.add_argument("--load-end", default="?")
    s.add_argument("--python", default="?")
    s.add_argument("--node", default="?")
    s.add_argument("--provided", default="?")
    s.set_defaults(fn=cmd_report)
    s = sub.add_parser("importtime")
    s.add_argument("file")
    s.add_argument("--baseline", required=True, help="-X importtime log of `python3 -S -c pass`")
    s.set_defaults(fn=cmd_importtime)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
