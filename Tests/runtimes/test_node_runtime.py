"""Nimbus's node bootstrap (Runtimes/node/bootstrap.js) against a fake Runtime API."""

import json
import re
import subprocess
import time

from conftest import FUNCTION_ARN, NODE_BOOTSTRAP

ECHO = r'''
let count = 0;
exports.handler = async (event, context) => {
  count += 1;
  console.log("logged", event.n, {a: 1});
  return {
    event,
    count,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    arn: context.invokedFunctionArn,
    memory: context.memoryLimitInMB,
    requestId: context.awsRequestId,
    logGroup: context.logGroupName,
    logStream: context.logStreamName,
    remaining: context.getRemainingTimeInMillis(),
    traceEnv: process.env._X_AMZN_TRACE_ID,
    identity: context.identity === undefined ? null : context.identity,
    clientContext: context.clientContext === undefined ? null : context.clientContext,
    waits: context.callbackWaitsForEmptyEventLoop,
  };
};
'''

LOG_LINE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t%s\tINFO\t%s$"


def test_echo_context_and_state(start_function, runtime_api):
    fn = start_function("node", {"app.js": ECHO}, "app.handler")
    deadline = int(time.time() * 1000) + 5000
    kind, headers, body = runtime_api.invoke({"n": 1}, request_id="req-1", deadline_ms=deadline)
    assert kind == "response", body
    assert body["event"] == {"n": 1}
    assert body["count"] == 1
    assert body["functionName"] == "fn"
    assert body["functionVersion"] == "$LATEST"
    assert body["arn"] == FUNCTION_ARN
    assert body["memory"] == "256"  # a string in AWS's node runtime
    assert body["requestId"] == "req-1"
    assert body["logGroup"] == "/aws/lambda/fn"
    assert 0 < body["remaining"] <= 5000
    assert body["traceEnv"].startswith("Root=1-5759e988")
    assert body["identity"] is None and body["clientContext"] is None
    assert body["waits"] is True

    kind, _, body = runtime_api.invoke({"n": 2}, request_id="req-2")
    assert kind == "response" and body["count"] == 2 and body["requestId"] == "req-2"
    fn.wait_line(LOG_LINE % ("req-1", re.escape("logged 1 { a: 1 }")))
    fn.wait_line(LOG_LINE % ("req-2", re.escape("logged 2 { a: 1 }")))
    assert fn.proc.poll() is None
    runtime_api.wait_next_calls(3)
    assert len(runtime_api.connections) == 1  # one keep-alive connection for /next and /response


def test_client_context_and_identity(start_function, runtime_api):
    start_function("node", {"app.js": ECHO}, "app.handler")
    cc = {"client": {"app_title": "Title"}, "custom": {"k": "v"}, "env": {"platform": "x"}}
    ident = {"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"}
    kind, _, body = runtime_api.invoke(
        {},
        headers={
            "Lambda-Runtime-Client-Context": json.dumps(cc),
            "Lambda-Runtime-Cognito-Identity": json.dumps(ident),
        },
    )
    assert kind == "response", body
    assert body["clientContext"] == cc
    assert body["identity"] == ident


def test_callback_handler_waits_for_empty_event_loop(start_function, runtime_api):
    code = r'''
let pending = 0;
exports.handler = (event, context, callback) => {
  if (event.noWait) context.callbackWaitsForEmptyEventLoop = false;
  // A timer that outlives the callback: with the default the response waits for it.
  setTimeout(() => { console.log("timer fired"); }, 300);
  callback(null, { ok: true, at: Date.now() });
};
'''
    fn = start_function("node", {"app.js": code}, "app.handler")
    start = time.monotonic()
    kind, _, body = runtime_api.invoke({}, request_id="cb-1")
    elapsed = time.monotonic() - start
    assert kind == "response" and body["ok"] is True
    assert elapsed >= 0.25, elapsed
    assert any("timer fired" in l for l in fn.lines)

    start = time.monotonic()
    kind, _, body = runtime_api.invoke({"noWait": True}, request_id="cb-2")
    assert kind == "response" and body["ok"] is True
    assert time.monotonic() - start < 0.25


def test_callback_error(start_function, runtime_api):
    code = r'''
exports.fails = (event, context, callback) => { callback(new TypeError("bad input")); };
exports.nothing = (event) => { /* neither returns nor calls back */ };
exports.str = (event, context, callback) => { callback("plain string"); };
'''
    start_function("node", {"app.js": code}, "app.fails")
    kind, headers, body = runtime_api.invoke({})
    assert kind == "error"
    assert body["errorType"] == "TypeError" and body["errorMessage"] == "bad input"


def test_sync_handler_without_callback_returns_null(start_function, runtime_api):
    start_function("node", {"app.js": "exports.nothing = (event) => {};\n"}, "app.nothing")
    kind, _, body = runtime_api.invoke({})
    assert kind == "response" and body is None


def test_exception(start_function, runtime_api):
    code = 'exports.handler = async (event) => {\n  throw new Error("x");\n};\n'
    fn = start_function("node", {"app.js": code}, "app.handler")
    kind, headers, body = runtime_api.invoke({}, request_id="req-err")
    assert kind == "error"
    assert headers["lambda-runtime-function-error-type"] == "Unhandled"
    assert body["errorType"] == "Error"
    assert body["errorMessage"] == "x"
    assert body["trace"][0] == "Error: x"
    assert "app.js:2" in body["trace"][1]
    line = fn.wait_line(r"\treq-err\tERROR\tInvoke Error \t\{")
    logged = json.loads(line.split("\t", 4)[4])
    assert logged["errorType"] == "Error" and logged["errorMessage"] == "x"
    kind, _, body = runtime_api.invoke({}, request_id="req-err-2")  # still serving
    assert kind == "error"


def test_esm_and_nested_handler(start_function, runtime_api):
    files = {
        "lib/handlers.mjs": "export const nested = { fn: async (e) => ({ esm: true, e }) };\n",
    }
    start_function("node", files, "lib/handlers.nested.fn")
    kind, _, body = runtime_api.invoke({"v": 1})
    assert kind == "response" and body == {"esm": True, "e": {"v": 1}}


def test_cjs_extension(start_function, runtime_api):
    start_function("node", {"index.cjs": "module.exports.handler = async () => 'cjs';\n"}, "index.handler")
    kind, _, body = runtime_api.invoke({})
    assert kind == "response" and body == "cjs"


def test_import_error(start_function, runtime_api):
    fn = start_function("node", {}, "app.handler")
    headers, body = runtime_api.wait_init_error()
    assert headers["lambda-runtime-function-error-type"] == "Runtime.ImportModuleError"
    assert body["errorType"] == "Runtime.ImportModuleError"
    assert body["errorMessage"].startswith("Error: Cannot find module 'app'")
    assert body["trace"][0].startswith("Runtime.ImportModuleError: Error: Cannot find module 'app'")
    assert fn.wait_exit() == 129
    fn.wait_line(r"\tundefined\tERROR\tUncaught Exception \t\{\"errorType\":\"Runtime.ImportModuleError\"")


def test_handler_not_found(start_function, runtime_api):
    fn = start_function("node", {"app.js": "exports.other = () => 1;\n"}, "app.nope")
    headers, body = runtime_api.wait_init_error()
    assert headers["lambda-runtime-function-error-type"] == "Runtime.HandlerNotFound"
    assert body["errorType"] == "Runtime.HandlerNotFound"
    assert body["errorMessage"] == "app.nope is undefined or not exported"
    assert fn.wait_exit() == 129


def test_malformed_handler_and_syntax_error(start_function, runtime_api):
    fn = start_function("node", {}, "nodot")
    _, body = runtime_api.wait_init_error()
    assert body["errorType"] == "Runtime.MalformedHandlerName"
    assert body["errorMessage"] == "Bad handler"
    assert fn.wait_exit() == 129


def test_syntax_error(start_function, runtime_api):
    fn = start_function("node", {"app.js": "exports.handler = ( => 1;\n"}, "app.handler")
    _, body = runtime_api.wait_init_error()
    assert body["errorType"] == "Runtime.UserCodeSyntaxError"
    assert body["errorMessage"].startswith("SyntaxError: ")
    assert fn.wait_exit() == 129


def test_unserializable_result(start_function, runtime_api):
    code = "exports.handler = async () => { const a = {}; a.self = a; return a; };\n"
    start_function("node", {"app.js": code}, "app.handler")
    kind, _, body = runtime_api.invoke({})
    assert kind == "error"
    assert body["errorType"] == "Error"
    assert body["errorMessage"] == "Unable to stringify response body"


def test_log_level_filter(start_function, runtime_api):
    code = 'exports.handler = async () => { console.debug("dbg"); console.warn("wrn"); return 1; };\n'
    fn = start_function("node", {"app.js": code}, "app.handler", env={"AWS_LAMBDA_LOG_LEVEL": "INFO"})
    rid = runtime_api.push({})
    assert runtime_api.wait_result(rid)[0] == "response"
    fn.wait_line(r"\t%s\tWARN\twrn$" % rid)
    assert not any("dbg" in l for l in fn.lines)


def test_reconnects_when_the_server_closes_connections(start_function, runtime_api):
    runtime_api.close_connections = True
    start_function("node", {"app.js": 'exports.handler = async (event) => event;\n'}, "app.handler")
    for i in range(3):
        kind, _, body = runtime_api.invoke({"i": i})
        assert kind == "response" and body == {"i": i}
    assert len(runtime_api.connections) >= 3


def test_response_reader_framings():
    """The runtime's own HTTP/1.1 reader: bytes split anywhere, chunked bodies, interim
    responses, bodies delimited by the end of the connection."""
    script = r'''
const { ResponseReader } = require(process.argv[1]);
const cases = [
  ["HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nContent-Length: 7\r\n\r\n{\"a\":1}", false],
  ["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"b\r\n4\r\n\":2}\r\n0\r\nTrailer: t\r\n\r\n", false],
  ["HTTP/1.0 200 OK\r\n\r\nuntil close", true],
  ["HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", false],
];
const out = [];
for (const [text, ends] of cases) {
  const bytes = Buffer.from(text);
  const reader = new ResponseReader();
  let response;
  for (let i = 0; i < bytes.length && !response; i++) response = reader.feed(bytes.subarray(i, i + 1), false);
  if (!response && ends) response = reader.feed(null, true);
  out.push({ status: response.status, id: response.headers['lambda-runtime-aws-request-id'] || null,
             body: response.body.toString(), closes: response.closes });
}
try { new ResponseReader().feed(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"), true); } catch (e) { out.push(e.message); }
console.log(JSON.stringify(out));
'''
    result = subprocess.run(["node", "-e", script, NODE_BOOTSTRAP], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"status": 200, "id": "r1", "body": '{"a":1}', "closes": False},
        {"status": 202, "id": None, "body": '{"b":2}', "closes": False},
        {"status": 200, "id": None, "body": "until close", "closes": True},
        {"status": 200, "id": None, "body": "ok", "closes": True},
        "Runtime API: the connection closed before the whole response arrived",
    ]
