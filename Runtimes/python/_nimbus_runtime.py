"""Nimbus's runtime for the python3.* Lambda runtimes (started by bootstrap.py).

Implements the AWS Lambda Runtime API client loop with the standard library only:
the handler contract (`_HANDLER` = `module.function` or `pkg/module.function`,
resolved under LAMBDA_TASK_ROOT), the context object, AWS's error payloads and
error types, and AWS's text log format. Run it as `python3 bootstrap.py`, which
imports this module so that its bytecode is cached, not compiled on every start.

Behaviour follows AWS's Python runtime interface client (awslambdaric); the
messages and error types are the ones it produces. Startup cost matters (it is
paid on every cold start), so the bootstrap imports only modules the interpreter
has loaded already or that are written in C: the Runtime API is spoken over
`_socket` (the `socket` module pulls in enum and selectors; http.client the
email package), JSON goes through `_json`'s scanner and encoder (`json` pulls in
`re`), and `logging` is configured when something first imports it. Whatever the
fast paths do not cover (an error message, an unusual encoding) falls back to
the `json` module, so results are the same as json.loads/json.dumps.
"""

import _json
import _socket
import os
import sys
import time

_API_PREFIX = "/2018-06-01/runtime"
# Nimbus's own, outside the Runtime API: where a standby asks for its function.
_ASSIGNMENT_PATH = "/nimbus/standby/assignment"
# The most a Runtime API response's status line and headers may take (client context and
# Cognito identity headers are a few KB at most).
_MAX_HEAD = 1 << 20
_ERROR_LOG_LINE_TERMINATE = "\r"
_ERROR_LOG_IDENT = "\u00a0"  # NO-BREAK SPACE, as AWS indents traceback lines in logs
_UNHANDLED_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the "
    "function code. However, in rare cases, a Lambda runtime update can cause "
    "unexpected function behavior. For functions using managed runtimes, runtime "
    "updates can be triggered by a function change, or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the "
    "INIT_START log entry. If this error correlates with a change in the runtime "
    "version, you may be able to mitigate this error by temporarily rolling back to "
    "the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)

_current_request_id = None
# Where this module and bootstrap.py live: their frames are not the function's.
_RUNTIME_DIRECTORY = os.path.dirname(os.path.abspath(__file__))


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        Exception.__init__(self, msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


# ---------------------------------------------------------------- Runtime API client


class RuntimeAPIError(Exception):
    pass


class _SocketReader:
    """Buffered reads from a `_socket.socket` (which has no `makefile`)."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if data:
            self.buffer += data
        return bool(data)

    def readline(self, limit):
        """One line with its newline, at most `limit` bytes; what is left at end of stream."""
        while True:
            end = self.buffer.find(b"\n", 0, limit)
            if end >= 0 or len(self.buffer) >= limit:
                end = end + 1 if end >= 0 else limit
                line, self.buffer = self.buffer[:end], self.buffer[end:]
                return line
            if not self._fill():
                line, self.buffer = self.buffer, b""
                return line

    def read_head(self, limit):
        """A response's status line and headers, through the empty line that ends them
        (CRLF or bare LF lines); what is left when the stream ends first."""
        while True:
            buffer = self.buffer
            crlf = buffer.find(b"\n\r\n")
            lf = buffer.find(b"\n\n")
            if crlf >= 0 and (lf < 0 or crlf < lf):
                end = crlf + 3
            elif lf >= 0:
                end = lf + 2
            elif len(buffer) > limit:
                raise RuntimeAPIError("response head over %d bytes" % limit)
            elif self._fill():
                continue
            else:
                self.buffer = b""
                return buffer
            self.buffer = buffer[end:]
            return buffer[:end]

    def read(self, n=None):
        """`n` bytes (fewer at end of stream), or everything until the end when `n` is None."""
        while n is None or len(self.buffer) < n:
            if not self._fill():
                break
        if n is None:
            n = len(self.buffer)
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data


class RuntimeClient:
    """One persistent HTTP/1.1 connection to the Runtime API; reconnects on failure."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        if not host:
            host, port = address, "80"
        self.host = host.strip("[]")
        self.port = int(port)
        self.common_headers = "Host: %s\r\nUser-Agent: nimbus-lambda-python/%d.%d.%d\r\n" % ((address,) + tuple(sys.version_info[:3]))
        self.sock = None
        self.reader = None

    def _connect(self):
        self.close()
        family = _socket.AF_INET6 if ":" in self.host else _socket.AF_INET
        sock = _socket.socket(family, _socket.SOCK_STREAM)
        try:
            sock.connect((self.host, self.port))
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        except OSError:
            sock.close()
            raise
        self.sock = sock
        self.reader = _SocketReader(sock)

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None
        self.reader = None

    def request(self, method, path, body=b"", headers=None):
        """Returns (status, headers with lower-case names, body bytes)."""
        head = "%s %s HTTP/1.1\r\n%s" % (method, path, self.common_headers)
        if headers:
            for name, value in headers.items():
                head += "%s: %s\r\n" % (name, value)
        if method != "GET" or body:
            head += "Content-Length: %d\r\n" % len(body)
        data = head.encode("latin-1") + b"\r\n" + body
        for attempt in (0, 1, 2):
            fresh = self.sock is None
            try:
                if fresh:
                    self._connect()
                self.sock.sendall(data)
                return self._read_response(method)
            except (OSError, RuntimeAPIError) as e:
                self.close()
                # A reused keep-alive connection may have been closed by the server:
                # retry at once on a new one. A refused fresh connection: back off a little.
                if attempt == 2:
                    raise RuntimeAPIError("Runtime API %s %s failed: %s" % (method, path, e))
                if fresh:
                    time.sleep(0.05 * (attempt + 1))

    def _read_response(self, method):
        reader = self.reader
        while True:
            head = reader.read_head(_MAX_HEAD)
            if not head:
                raise RuntimeAPIError("connection closed")
            if not head.endswith(b"\n\n") and not head.endswith(b"\n\r\n"):
                raise RuntimeAPIError("connection closed in headers")
            lines = head.decode("latin-1").split("\n")
            parts = lines[0].split(None, 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/"):
                raise RuntimeAPIError("bad status line %r" % lines[0])
            status = int(parts[1])
            version = parts[0]
            headers = {}
            for line in lines[1:]:
                name, colon, value = line.partition(":")
                if colon:
                    headers[name.strip().lower()] = value.strip()
            if 100 <= status < 200:
                continue  # interim response
            break
        body = b""
        if method == "HEAD" or status in (204, 304):
            pass
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size_line = reader.readline(65537)
                if not size_line:
                    raise RuntimeAPIError("connection closed in chunked body")
                size = int(size_line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while reader.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self._read_exact(size))
                reader.readline(65537)
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = self._read_exact(int(headers["content-length"]))
        else:
            body = reader.read()  # until close
            self.close()
            return status, headers, body
        connection = headers.get("connection", "").lower()
        if connection == "close" or (version == "HTTP/1.0" and connection != "keep-alive"):
            self.close()
        return status, headers, body

    def _read_exact(self, n):
        data = self.reader.read(n)
        if data is None or len(data) != n:
            raise RuntimeAPIError("connection closed in body")
        return data

    def next_invocation(self):
        while True:
            status, headers, body = self.request("GET", _API_PREFIX + "/invocation/next")
            if status == 200:
                return headers, body
            # The Runtime API answers 4xx/5xx only when something is badly wrong
            # (AWS's runtime exits in that case).
            raise RuntimeAPIError(
                "Request to Lambda Runtime 'next' endpoint failed. Reason: '%d'. Response body: '%s'"
                % (status, body.decode("utf-8", "replace"))
            )

    def post_result(self, request_id, payload, content_type):
        self.request(
            "POST",
            "%s/invocation/%s/response" % (_API_PREFIX, request_id),
            payload,
            {"Content-Type": content_type},
        )

    def post_error(self, request_id, error_json, xray_cause):
        headers = {
            "Content-Type": "application/json",
            "Lambda-Runtime-Function-Error-Type": "Unhandled",
        }
        if xray_cause and len(xray_cause) < 1024 * 1024:
            headers["Lambda-Runtime-Function-XRay-Error-Cause"] = xray_cause
        self.request(
            "POST",
            "%s/invocation/%s/error" % (_API_PREFIX, request_id),
            error_json.encode("utf-8"),
            headers,
        )

    def post_init_error(self, error_result):
        status, _, body = self.request(
            "POST",
            _API_PREFIX + "/init/error",
            to_json(error_result).encode("utf-8"),
            {
                "Content-Type": "application/json",
                "Lambda-Runtime-Function-Error-Type": error_result["errorType"],
            },
        )
        if status != 202:
            raise RuntimeAPIError(
                "Request to Lambda Runtime '/runtime/init/error' endpoint failed. Reason: '%d'. Response body: '%s'"
                % (status, body.decode("utf-8", "replace"))
            )


# ---------------------------------------------------------------- JSON


def _json_default(obj):
    # AWS's runtime encodes decimal.Decimal (what boto3's DynamoDB layer returns)
    # as a JSON number; the stdlib encoder cannot emit raw text, so integral
    # values become ints and others floats.
    if type(obj).__name__ == "Decimal" and type(obj).__module__ == "decimal":
        if obj.is_nan():
            return float("nan")
        if obj == obj.to_integral_value():
            return int(obj)
        return float(obj)
    raise TypeError("Object of type %s is not JSON serializable" % obj.__class__.__name__)


class _ScannerContext:
    """What `_json.make_scanner` reads: json.JSONDecoder's defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


_scan = _json.make_scanner(_ScannerContext())
_WHITESPACE = " \t\n\r"


def from_json(data):
    """json.loads for UTF-8 text; json.loads itself (and its errors) for anything else."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        start = len(text) - len(text.lstrip(_WHITESPACE))
        value, end = _scan(text, start)
        if end == len(text) or not text[end:].strip(_WHITESPACE):
            return value
    except Exception:
        pass
    import json

    return json.loads(data)


def _c_encoder():
    """json.JSONEncoder's C encoder with its defaults (a fresh one per call: its
    circular-reference markers must start empty); None where `_json` lacks it."""
    try:
        return _json.make_encoder({}, _json_default, _json.encode_basestring_ascii, None, ": ", ", ", False, False, True)
    except Exception:
        return None


_has_c_encoder = _c_encoder() is not None


def to_json(obj):
    """json.dumps(obj, default=_json_default)."""
    if isinstance(obj, str):
        return _json.encode_basestring_ascii(obj)
    if _has_c_encoder:
        return "".join(_c_encoder()(obj, 0))
    import json

    return json.dumps(obj, default=_json_default)


# ---------------------------------------------------------------- context


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.cognito_identity_id,
            self.cognito_identity_pool_id,
        )


class Client(object):
    __slots__ = [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ]

    def __repr__(self):
        return (
            "Client([installation_id=%s,app_title=%s,app_version_name=%s,"
            "app_version_code=%s,app_package_name=%s])"
            % tuple(getattr(self, f) for f in self.__slots__)
        )


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "ClientContext([custom=%s,env=%s,client=%s])" % (self.custom, self.env, self.client)


def _obj_from_dict(cls, d):
    if d is None:
        return None
    obj = cls()
    get = d.get if isinstance(d, dict) else (lambda _k, _d=None: None)
    for field in cls.__slots__:
        setattr(obj, field, get(field, None))
    return obj


class LambdaContext(object):
    def __init__(
        self,
        invoke_id,
        client_context,
        cognito_identity,
        epoch_deadline_time_in_ms,
        invoked_function_arn=None,
        tenant_id=None,
    ):
        environ = os.environ
        self.aws_request_id = invoke_id
        self.log_group_name = environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = environ.get("AWS_LAMBDA_FUNCTION_NAME")
        # A string, as AWS's own runtime client gives it.
        self.memory_limit_in_mb = environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id

        w3c = {}
        if isinstance(client_context, dict) and "w3c" in client_context:
            raw = client_context.pop("w3c")
            if isinstance(raw, dict):
                for key in ("traceparent", "tracestate", "baggage"):
                    if isinstance(raw.get(key), str):
                        w3c[key] = raw[key]
        self._w3c_fields = w3c

        self.client_context = _obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _obj_from_dict(Client, self.client_context.client)

        self.identity = _obj_from_dict(CognitoIdentity, {})
        if isinstance(cognito_identity, dict):
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")

        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        delta_ms = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return delta_ms if delta_ms > 0 else 0

    def w3c(self):
        return dict(self._w3c_fields)

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,"
            "function_name=%s,memory_limit_in_mb=%s,function_version=%s,"
            "invoked_function_arn=%s,client_context=%s,identity=%s,tenant_id=%s])"
            % (
                self.aws_request_id,
                self.log_group_name,
                self.log_stream_name,
                self.function_name,
                self.memory_limit_in_mb,
                self.function_version,
                self.invoked_function_arn,
                self.client_context,
                self.identity,
                self.tenant_id,
            )
        )


def _parse_json_header(header, name):
    try:
        return from_json(header)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR,
            "Unable to parse {} JSON: {}".format(name, str(e)),
            None,
        )


# ---------------------------------------------------------------- errors


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _user_frames(tb):
    """The traceback's frames as (file, line, function, code), bootstrap frames dropped."""
    import traceback

    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(frames)):
        if os.path.dirname(os.path.abspath(frames[i][0])) != _RUNTIME_DIRECTORY:
            return frames[i:]
    return frames


def _format_frames(frames):
    import traceback

    return traceback.format_list(frames)


def _xray_fault(ex_type, ex_msg, frames):
    stack = []
    files = set()
    for tb_file, tb_line, tb_method, _ in frames:
        stack.append({"label": tb_method, "path": tb_file, "line": tb_line})
        files.add(tb_file)
    return {
        "working_directory": os.getcwd(),
        "exceptions": [{"message": ex_msg, "type": ex_type, "stack": stack}],
        "paths": list(files),
    }


def _replace_indentation(line):
    n = len(line) - len(line.lstrip(" "))
    return _ERROR_LOG_IDENT * n + line[n:]


def log_error(error_result):
    description = "[ERROR]"
    error_type = error_result.get("errorType")
    if error_type:
        description += " " + error_type
    message = error_result.get("errorMessage")
    if message:
        if error_type:
            description += ":"
        description += " " + message
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                for trace_line in element.splitlines():
                    lines.append(_replace_indentation(trace_line))
    # One log record: AWS joins the lines with CR so the traceback stays one event.
    sys.stdout.write(_ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


# ---------------------------------------------------------------- handler


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(
            FaultException.MALFORMED_HANDLER_NAME,
            "Bad handler '{}': {}".format(handler, str(e)),
        )

    import importlib

    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR,
            "Unable to import module '{}': {}".format(modname, str(e)),
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '{}': {}".format(modname, str(e)),
            trace,
        )

    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND,
            "Handler '{}' missing on module '{}'".format(fname, modname),
            None,
        )


def handle_event(client, request_handler, headers, body):
    invoke_id = headers.get("lambda-runtime-aws-request-id", "")
    error_result = None
    xray_fault = None
    try:
        client_context = headers.get("lambda-runtime-client-context")
        cognito_identity = headers.get("lambda-runtime-cognito-identity")
        try:
            deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
        except ValueError:
            deadline = 0
        context = LambdaContext(
            invoke_id,
            _parse_json_header(client_context, "Client Context") if client_context else None,
            _parse_json_header(cognito_identity, "Cognito Identity") if cognito_identity else None,
            deadline,
            headers.get("lambda-runtime-invoked-function-arn"),
            headers.get("lambda-runtime-aws-tenant-id"),
        )
        content_type = headers.get("content-type", "application/json")
        if content_type.split(";", 1)[0].strip().lower() == "application/json":
            try:
                event = from_json(body)
            except Exception as e:
                raise FaultException(
                    FaultException.UNMARSHAL_ERROR,
                    "Unable to unmarshal input: {}".format(str(e)),
                    None,
                )
        else:
            event = body

        response = request_handler(event, context)

        if isinstance(response, bytes):
            result, result_type = response, "application/unknown"
        else:
            try:
                result, result_type = to_json(response).encode("utf-8"), "application/json"
            except Exception as e:
                raise FaultException(
                    FaultException.MARSHAL_ERROR,
                    "Unable to marshal response: {}".format(str(e)),
                    None,
                )
    except FaultException as e:
        xray_fault = _xray_fault("LambdaValidationError", e.msg, [])
        error_result = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        etype, value, tb = sys.exc_info()
        frames = _user_frames(tb)
        xray_fault = _xray_fault(etype.__name__, str(value), frames)
        error_result = make_error(str(value), etype.__name__, _format_frames(frames), invoke_id)
        del tb

    if error_result is not None:
        log_error(error_result)
        client.post_error(invoke_id, to_json(error_result), to_json(xray_fault))
    else:
        client.post_result(invoke_id, result, result_type)


# ---------------------------------------------------------------- logging and streams


class Unbuffered(object):
    """Flushes after every write so each line reaches Nimbus at once."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        pass

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        n = self.stream.write(msg)
        self.stream.flush()
        return n

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


_LOG_LEVELS = {
    "TRACE": "DEBUG",
    "DEBUG": "DEBUG",
    "INFO": "INFO",
    "WARN": "WARNING",
    "WARNING": "WARNING",
    "ERROR": "ERROR",
    "FATAL": "CRITICAL",
    "CRITICAL": "CRITICAL",
}


def setup_logging(logging):
    """AWS's format on the root logger: `[LEVEL]\t<time>Z\t<request id>\t<message>`."""

    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            try:
                sys.stdout.write(self.format(record))
            except Exception:
                self.handleError(record)

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _current_request_id or ""
            record.tenant_id = None
            return True

    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = _LOG_LEVELS.get((os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper())
    if level:
        root.setLevel(level)
    root.addHandler(handler)


class _LoggingSetupOnImport:
    """A meta path finder that sets up logging right after the first `import logging`,
    whoever imports it, so functions that never log do not pay for the module."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _SetupAfterExec(spec.loader)
        return spec


class _SetupAfterExec:
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        setup_logging(module)


def setup_logging_on_import():
    if "logging" in sys.modules:
        setup_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _LoggingSetupOnImport())


def _warn_unhandled():
    import logging

    logging.warning(_UNHANDLED_WARNING)


def _take_site_packages():
    """The folders after `--site-packages` (the server passes the interpreter's, since it starts
    python with -S), removed from argv."""
    if len(sys.argv) > 2 and sys.argv[1] == "--site-packages":
        folders = [f for f in sys.argv[2].split(":") if f]
        del sys.argv[1:3]
        return folders
    return []


def _add_site_packages(folders):
    """Appends site-packages after the standard library, as `site` would, with the folders their
    .pth files name; .pth lines that run code (`import …`) are skipped: starting without them
    is what -S is for."""
    for folder in folders:
        if not os.path.isdir(folder) or folder in sys.path:
            continue
        sys.path.append(folder)
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".pth"))
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(folder, name), encoding="utf-8") as pth:
                    lines = pth.read().splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for line in lines:
                line = line.strip()
                if not line or line.startswith(("#", "import ", "import\t")):
                    continue
                path = os.path.join(folder, line)
                if os.path.isdir(path) and path not in sys.path:
                    sys.path.append(path)


def _take_standby_flag():
    """Whether the server started this runtime as a standby (`--standby`), removed from argv."""
    if len(sys.argv) > 1 and sys.argv[1] == "--standby":
        del sys.argv[1]
        return True
    return False


def _take_assignment(client):
    """A standby waits here, started but nobody's yet, until the server gives it a function:
    that function's whole environment, which replaces the standby's own. Nothing of the
    function (its code, handler, log level) has been looked at before this returns."""
    token = os.environ.get("_NIMBUS_STANDBY_TOKEN", "")
    status, _, body = client.request("GET", _ASSIGNMENT_PATH, headers={"Nimbus-Standby-Token": token})
    if status != 200:
        sys.stderr.write("this standby got no function: %d %s\n" % (status, body.decode("utf-8", "replace")))
        sys.exit(1)
    environment = from_json(body)
    os.environ.clear()
    os.environ.update(environment)
    time.tzset()


def _setup_path():
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # Python puts the script's own folder first; user code must not see it.
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != _RUNTIME_DIRECTORY]
    extra = [task_root]
    version = "python%d.%d" % sys.version_info[:2]
    for layer_path in ("/opt/python/lib/%s/site-packages" % version, "/opt/python"):
        if os.path.isdir(layer_path):
            extra.append(layer_path)
    sys.path[:0] = [p for p in extra if p not in sys.path]
    try:
        os.chdir(task_root)
    except OSError:
        pass


# ---------------------------------------------------------------- main


def run():
    global _current_request_id

    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)

    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        sys.stderr.write("AWS_LAMBDA_RUNTIME_API is not set\n")
        sys.exit(1)
    _add_site_packages(_take_site_packages())
    client = RuntimeClient(address)
    if _take_standby_flag():
        _take_assignment(client)
    handler_name = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("_HANDLER", "")

    setup_logging_on_import()
    _setup_path()

    try:
        request_handler = get_handler(handler_name)
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace)
        _warn_unhandled()
        log_error(error_result)
        client.post_init_error(error_result)
        sys.exit(1)
    except Exception:
        etype, value, tb = sys.exc_info()
        error_result = make_error(str(value), etype.__name__, _format_frames(_user_frames(tb)))
        del tb
        _warn_unhandled()
        log_error(error_result)
        client.post_init_error(error_result)
        sys.exit(1)

    environ = os.environ
    while True:
        headers, body = client.next_invocation()
        _current_request_id = headers.get("lambda-runtime-aws-request-id")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id is not None:
            environ["_X_AMZN_TRACE_ID"] = trace_id
        elif "_X_AMZN_TRACE_ID" in environ:
            del environ["_X_AMZN_TRACE_ID"]
        handle_event(client, request_handler, headers, body)


def main():
    try:
        run()
    except KeyboardInterrupt:
        sys.exit(130)
