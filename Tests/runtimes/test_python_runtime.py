"""Nimbus's python bootstrap (Runtimes/python/bootstrap.py) against a fake Runtime API."""

import json
import time

from conftest import FUNCTION_ARN

ECHO = '''
import os
import logging

count = 0

def handler(event, context):
    global count
    count += 1
    logging.warning("warned %s", event.get("n"))
    logging.info("hidden info")
    cc = context.client_context
    return {
        "event": event,
        "count": count,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "arn": context.invoked_function_arn,
        "memory": context.memory_limit_in_mb,
        "memory_is_str": isinstance(context.memory_limit_in_mb, str),
        "request_id": context.aws_request_id,
        "log_group": context.log_group_name,
        "log_stream": context.log_stream_name,
        "remaining": context.get_remaining_time_in_millis(),
        "trace_env": os.environ.get("_X_AMZN_TRACE_ID"),
        "identity_id": context.identity.cognito_identity_id,
        "identity_pool": context.identity.cognito_identity_pool_id,
        "cc_custom": cc.custom if cc else None,
        "cc_env": cc.env if cc else None,
        "cc_app_title": cc.client.app_title if cc and cc.client else None,
        "cwd": os.getcwd(),
    }
'''


def test_echo_context_and_state(start_function, runtime_api):
    fn = start_function("python", {"app.py": ECHO}, "app.handler")
    deadline = int(time.time() * 1000) + 5000
    kind, headers, body = runtime_api.invoke({"n": 1}, request_id="req-1", deadline_ms=deadline)
    assert kind == "response", body
    assert headers["content-type"] == "application/json"
    assert body["event"] == {"n": 1}
    assert body["count"] == 1
    assert body["function_name"] == "fn"
    assert body["function_version"] == "$LATEST"
    assert body["arn"] == FUNCTION_ARN
    assert body["memory"] == "256" and body["memory_is_str"]
    assert body["request_id"] == "req-1"
    assert body["log_group"] == "/aws/lambda/fn"
    assert body["log_stream"].startswith("2024/01/01/")
    assert 0 < body["remaining"] <= 5000
    assert body["trace_env"].startswith("Root=1-5759e988")
    assert body["identity_id"] is None and body["cc_custom"] is None

    kind, _, body = runtime_api.invoke({"n": 2}, request_id="req-2")
    assert kind == "response"
    assert body["count"] == 2  # same process, module state kept
    assert body["request_id"] == "req-2"

    line = fn.wait_line(r"warned 1")
    assert __import__("re").fullmatch(
        r"\[WARNING\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq-1\twarned 1", line
    ), line
    fn.wait_line(r"\treq-2\twarned 2")
    assert not any("hidden info" in l for l in fn.lines)
    assert fn.proc.poll() is None
    runtime_api.wait_next_calls(3)
    assert len(runtime_api.connections) == 1  # one keep-alive connection for /next and /response


def test_client_context_and_identity(start_function, runtime_api):
    start_function("python", {"app.py": ECHO}, "app.handler")
    cc = {"client": {"app_title": "Title", "installation_id": "i-1"}, "custom": {"k": "v"}, "env": {"platform": "x"}}
    ident = {"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"}
    kind, _, body = runtime_api.invoke(
        {},
        headers={
            "Lambda-Runtime-Client-Context": json.dumps(cc),
            "Lambda-Runtime-Cognito-Identity": json.dumps(ident),
        },
    )
    assert kind == "response", body
    assert body["identity_id"] == "id-1"
    assert body["identity_pool"] == "pool-1"
    assert body["cc_custom"] == {"k": "v"}
    assert body["cc_env"] == {"platform": "x"}
    assert body["cc_app_title"] == "Title"


def test_nested_handler_none_result_and_log_level(start_function, runtime_api):
    files = {
        "pkg/__init__.py": "",
        "pkg/mod.py": "import logging\ndef fn(event, context):\n    logging.info('now visible')\n    return None\n",
    }
    fn = start_function("python", files, "pkg/mod.fn", env={"AWS_LAMBDA_LOG_LEVEL": "INFO"})
    kind, headers, body = runtime_api.invoke({"a": 1}, request_id="r-nested")
    assert kind == "response"
    assert body is None
    fn.wait_line(r"^\[INFO\]\t.*\tr-nested\tnow visible$")


def test_exception(start_function, runtime_api):
    code = 'def handler(event, context):\n    raise ValueError("x")\n'
    fn = start_function("python", {"app.py": code}, "app.handler")
    kind, headers, body = runtime_api.invoke({}, request_id="req-err")
    assert kind == "error"
    assert headers["lambda-runtime-function-error-type"] == "Unhandled"
    assert body["errorMessage"] == "x"
    assert body["errorType"] == "ValueError"
    assert body["requestId"] == "req-err"
    assert len(body["stackTrace"]) == 1
    assert body["stackTrace"][0].endswith('app.py", line 2, in handler\n    raise ValueError("x")\n')
    assert body["stackTrace"][0].startswith('  File "')
    line = fn.wait_line(r"^\[ERROR\] ValueError: x")
    assert "\rTraceback (most recent call last):\r" in line
    # The runtime survives a failed invocation.
    kind, _, body = runtime_api.invoke({}, request_id="req-err-2")
    assert kind == "error" and body["requestId"] == "req-err-2"


def test_marshal_error(start_function, runtime_api):
    code = "def handler(event, context):\n    return {1, 2}\n"
    start_function("python", {"app.py": code}, "app.handler")
    kind, _, body = runtime_api.invoke({})
    assert kind == "error"
    assert body["errorType"] == "Runtime.MarshalError"
    assert body["errorMessage"] == "Unable to marshal response: Object of type set is not JSON serializable"
    assert body["stackTrace"] == []


def test_decimal_and_bytes_results(start_function, runtime_api):
    code = (
        "from decimal import Decimal\n"
        "def handler(event, context):\n"
        "    if event.get('bytes'):\n        return b'raw'\n"
        "    return {'i': Decimal('3'), 'f': Decimal('1.5')}\n"
    )
    start_function("python", {"app.py": code}, "app.handler")
    kind, _, body = runtime_api.invoke({})
    assert kind == "response" and body == {"i": 3, "f": 1.5}
    rid = runtime_api.push({"bytes": True})
    with runtime_api.cond:
        runtime_api.cond.wait_for(lambda: rid in runtime_api.results, 10)
    kind, headers, raw = runtime_api.results[rid]
    assert kind == "response" and raw == b"raw"
    assert headers["content-type"] == "application/unknown"


def test_import_error(start_function, runtime_api):
    fn = start_function("python", {}, "app.handler")
    headers, body = runtime_api.wait_init_error()
    assert headers["lambda-runtime-function-error-type"] == "Runtime.ImportModuleError"
    assert body == {
        "errorMessage": "Unable to import module 'app': No module named 'app'",
        "errorType": "Runtime.ImportModuleError",
        "requestId": "",
        "stackTrace": [],
    }
    assert fn.wait_exit() == 1
    fn.wait_line(r"^\[ERROR\] Runtime.ImportModuleError: Unable to import module 'app': No module named 'app'")
    fn.wait_line(r"^\[WARNING\]\t.*\tLAMBDA_WARNING: Unhandled exception")


def test_handler_not_found(start_function, runtime_api):
    fn = start_function("python", {"app.py": "x = 1\n"}, "app.nope")
    headers, body = runtime_api.wait_init_error()
    assert headers["lambda-runtime-function-error-type"] == "Runtime.HandlerNotFound"
    assert body["errorType"] == "Runtime.HandlerNotFound"
    assert body["errorMessage"] == "Handler 'nope' missing on module 'app'"
    assert fn.wait_exit() == 1


def test_malformed_handler(start_function, runtime_api):
    fn = start_function("python", {}, "nodot")
    _, body = runtime_api.wait_init_error()
    assert body["errorType"] == "Runtime.MalformedHandlerName"
    assert body["errorMessage"] == "Bad handler 'nodot': not enough values to unpack (expected 2, got 1)"
    assert fn.wait_exit() == 1


def test_syntax_error_and_init_exception(start_function, runtime_api):
    fn = start_function("python", {"app.py": "def handler(:\n"}, "app.handler")
    _, body = runtime_api.wait_init_error()
    assert body["errorType"] == "Runtime.UserCodeSyntaxError"
    assert body["errorMessage"].startswith("Syntax error in module 'app': ")
    assert fn.wait_exit() == 1


def test_exception_at_import(start_function, runtime_api):
    fn = start_function("python", {"app.py": "raise KeyError('boom')\n"}, "app.handler")
    headers, body = runtime_api.wait_init_error()
    assert body["errorType"] == "KeyError"
    assert headers["lambda-runtime-function-error-type"] == "KeyError"
    assert body["errorMessage"] == "'boom'"
    assert any("app.py" in frame for frame in body["stackTrace"])
    assert fn.wait_exit() == 1


def test_print_is_line_flushed(start_function, runtime_api):
    code = "import sys\ndef handler(event, context):\n    print('hello from print')\n    sys.stderr.write('to stderr\\n')\n    return 1\n"
    fn = start_function("python", {"app.py": code}, "app.handler")
    assert runtime_api.invoke({})[0] == "response"
    fn.wait_line(r"^hello from print$")
    fn.wait_line(r"^to stderr$")


def test_reconnects_when_the_server_closes_connections(start_function, runtime_api):
    runtime_api.close_connections = True
    start_function("python", {"app.py": 'def handler(event, context):\n    return event\n'}, "app.handler")
    for i in range(3):
        kind, _, body = runtime_api.invoke({"i": i})
        assert kind == "response" and body == {"i": i}
    assert len(runtime_api.connections) >= 3


def _raw_result(runtime_api, **kw):
    rid = runtime_api.push(**kw)
    with runtime_api.cond:
        assert runtime_api.cond.wait_for(lambda: rid in runtime_api.results, 10)
    return runtime_api.results[rid]


def test_json_in_and_out_is_exactly_the_json_modules(start_function, runtime_api):
    # The runtime parses and writes JSON with _json's C scanner and encoder: the bytes it
    # sends must be what json.dumps writes, for whatever json.loads reads.
    code = (
        "def handler(event, context):\n"
        "    return {'event': event, 'text': 'h\\u00e9llo \\u2603 \\U0001F600 \"q\" \\\\ \\n', 'big': 2**70,\n"
        "            'float': 0.1 + 0.2, 'inf': float('inf'), 'nested': [[], {}, [None, True, False]]}\n"
    )
    start_function("python", {"app.py": code}, "app.handler")
    event_text = ' \n {"a": [1, 2.5e3, -0.0, "\\u00e9\\ud83d\\ude00"], "b": {"c": null}, "d": 123456789012345678901234567890} \t\r\n'
    kind, _, raw = _raw_result(runtime_api, raw=event_text.encode("utf-8"))
    assert kind == "response", raw
    event = json.loads(event_text)
    expected = {
        "event": event,
        "text": "h\u00e9llo \u2603 \U0001F600 \"q\" \\ \n",
        "big": 2**70,
        "float": 0.1 + 0.2,
        "inf": float("inf"),
        "nested": [[], {}, [None, True, False]],
    }
    assert raw == json.dumps(expected).encode("utf-8")


def test_unparsable_events_get_the_json_modules_messages(start_function, runtime_api):
    start_function("python", {"app.py": "def handler(event, context):\n    return event\n"}, "app.handler")
    for text, message in [
        (b"", "Expecting value: line 1 column 1 (char 0)"),
        (b'{"a": 1} x', "Extra data: line 1 column 10 (char 9)"),
        (b'{"a": }', "Expecting value: line 1 column 7 (char 6)"),
    ]:
        kind, _, raw = _raw_result(runtime_api, raw=text)
        body = json.loads(raw)
        assert kind == "error" and body["errorType"] == "Runtime.UnmarshalError", body
        assert body["errorMessage"] == "Unable to unmarshal input: " + message
    # UTF-16 is valid for json.loads (it detects the encoding); the fallback keeps that.
    kind, _, raw = _raw_result(runtime_api, raw='{"u": 16}'.encode("utf-16"))
    assert kind == "response" and json.loads(raw) == {"u": 16}


def test_circular_result_is_a_marshal_error_and_the_next_result_is_fine(start_function, runtime_api):
    code = (
        "def handler(event, context):\n"
        "    if event.get('loop'):\n        d = {}\n        d['self'] = d\n        return d\n"
        "    return {'shared': [event, event]}\n"
    )
    start_function("python", {"app.py": code}, "app.handler")
    kind, _, body = runtime_api.invoke({"loop": True})
    assert kind == "error" and body["errorType"] == "Runtime.MarshalError"
    assert body["errorMessage"] == "Unable to marshal response: Circular reference detected"
    kind, _, body = runtime_api.invoke({"x": 1})
    assert kind == "response" and body == {"shared": [{"x": 1}, {"x": 1}]}


def test_logging_gets_aws_format_whenever_it_is_first_imported(start_function, runtime_api):
    # The runtime imports logging only when something else does: at module import
    # (init) or in the middle of an invocation, the format must be AWS's either way.
    at_init = "import logging\nlogging.getLogger().setLevel('INFO')\nlogging.info('at init')\ndef handler(e, c):\n    return 1\n"
    fn = start_function("python", {"app.py": at_init}, "app.handler")
    runtime_api.invoke({})
    fn.wait_line(r"^\[INFO\]\t\d{4}-\d\d-\d\dT[\d:.]+Z\t\tat init$")


def test_logging_imported_during_an_invocation(start_function, runtime_api):
    late = "def handler(e, c):\n    import logging\n    logging.warning('late %s', 1)\n    return 1\n"
    fn = start_function("python", {"app.py": late}, "app.handler")
    runtime_api.invoke({}, request_id="r-late")
    fn.wait_line(r"^\[WARNING\]\t[\dT:.-]+Z\tr-late\tlate 1$")
