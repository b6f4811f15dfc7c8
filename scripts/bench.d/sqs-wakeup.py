#!/usr/bin/env python3
"""Long-poll wake-up latency: how long after a SendMessage starts does a ReceiveMessage that
is already waiting (WaitTimeSeconds=20) return with the message?

A poller thread keeps one keep-alive connection in a long poll; the main thread, on its own
keep-alive connection, sends a message once the poller has been waiting 20 ms and records
the time from just before the send to the moment the poller has the answer. Raw http.client
with unsigned awsJson 1.0 bodies (auth is open on loopback), no boto3 overhead.

Baselines: the same hand-off between two threads over a loopback TCP socket (one blocked in
recv, the other sends one byte): the floor any wake-up across a socket pays here; and the
server's health endpoint asked after the same 20 ms pause: what a request to an idle server
costs at all on this machine (idle CPUs are slow to wake, notably in a VM).

Prints one JSON object: {"wakeup_p50_us":…, "wakeup_p99_us":…, "send_p50_us":…,
"loopback_p50_us":…, "idle_request_p50_us":…, "samples":…}
"""

import argparse
import http.client
import json
import socket
import statistics
import threading
import time

HEADERS = {"Content-Type": "application/x-amz-json-1.0"}


def call(connection, operation, body):
    connection.request("POST", "/", body=json.dumps(body), headers={**HEADERS, "X-Amz-Target": f"AmazonSQS.{operation}"})
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"{operation}: HTTP {response.status} {data[:300]!r}")
    return json.loads(data) if data else {}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def wakeup(host, port, samples):
    control = http.client.HTTPConnection(host, port, timeout=30)
    url = call(control, "CreateQueue", {"QueueName": f"bench-wakeup-{int(time.time())}"})["QueueUrl"]
    poll_connection = http.client.HTTPConnection(host, port, timeout=30)
    waiting = threading.Event()
    returned = {}
    done = threading.Event()

    def poller():
        for _ in range(samples):
            waiting.set()
            result = call(poll_connection, "ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 20, "MaxNumberOfMessages": 1})
            returned["at"] = time.perf_counter()
            returned["handle"] = result["Messages"][0]["ReceiptHandle"]
            waiting.clear()
            done.set()

    thread = threading.Thread(target=poller, daemon=True)
    thread.start()
    latencies, sends = [], []
    for n in range(samples):
        waiting.wait(30)
        time.sleep(0.02)  # the poller is inside its long poll by now
        done.clear()
        started = time.perf_counter()
        call(control, "SendMessage", {"QueueUrl": url, "MessageBody": f"wake {n}"})
        acknowledged = time.perf_counter()
        if not done.wait(30):
            raise RuntimeError("the long poll did not return")
        latencies.append((returned["at"] - started) * 1e6)
        sends.append((acknowledged - started) * 1e6)
        call(control, "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": returned["handle"]})
    thread.join(5)
    call(control, "DeleteQueue", {"QueueUrl": url})
    return latencies, sends


def loopback(samples):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    sender = socket.create_connection(listener.getsockname())
    receiver, _ = listener.accept()
    for s in (sender, receiver):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    arrived = []
    ready = threading.Event()

    def reader():
        for _ in range(samples):
            ready.set()
            receiver.recv(1)
            arrived.append(time.perf_counter())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    latencies = []
    for n in range(samples):
        ready.wait(5)
        time.sleep(0.005)
        ready.clear()
        started = time.perf_counter()
        sender.sendall(b"x")
        while len(arrived) <= n:
            time.sleep(0)
        latencies.append((arrived[n] - started) * 1e6)
    thread.join(5)
    for s in (sender, receiver, listener):
        s.close()
    return latencies


def idle_request(host, port, samples):
    """GET /_nimbus/health after the wake-up's 20 ms pause, on a keep-alive connection."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    latencies = []
    for _ in range(samples):
        time.sleep(0.02)
        started = time.perf_counter()
        connection.request("GET", "/_nimbus/health")
        connection.getresponse().read()
        latencies.append((time.perf_counter() - started) * 1e6)
    connection.close()
    return latencies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    latencies, sends = wakeup(args.host, args.port, args.samples)
    floor = loopback(args.samples)
    idle = idle_request(args.host, args.port, args.samples)
    print(
        json.dumps(
            {
                "wakeup_p50_us": round(statistics.median(latencies), 1),
                "wakeup_p99_us": round(percentile(latencies, 0.99), 1),
                "send_p50_us": round(statistics.median(sends), 1),
                "loopback_p50_us": round(statistics.median(floor), 1),
                "idle_request_p50_us": round(statistics.median(idle), 1),
                "samples": args.samples,
            }
        )
    )


if __name__ == "__main__":
    main()
