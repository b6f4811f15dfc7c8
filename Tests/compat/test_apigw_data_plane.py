"""API Gateway HTTP APIs' data plane over real HTTP (urllib): the Lambda proxy events of
both payload versions, response mapping, route precedence, stages and stage variables,
AWS's gateway errors, CORS, throttling, timeouts, the host form and an HTTP_PROXY
integration in front of a small local HTTP service."""

import base64
import http.server
import json
import threading
import time
import urllib.parse

import pytest

from apigwkit import ECHO_SOURCE, call, deploy_inline, event_of, header, make_api


@pytest.fixture(scope="module")
def apigw(session, endpoint):
    from conftest import CLIENT_CONFIG

    return session.client("apigatewayv2", endpoint_url=endpoint, config=CLIENT_CONFIG)


@pytest.fixture(scope="module")
def echo(session, endpoint):
    from conftest import CLIENT_CONFIG

    return deploy_inline(session.client("lambda", endpoint_url=endpoint, config=CLIENT_CONFIG), ECHO_SOURCE)


@pytest.fixture(scope="module")
def api_v2(apigw, echo):
    return make_api(apigw, echo, route_keys=("GET /items/{id}", "ANY /items/{id}", "GET /items/special", "ANY /{proxy+}", "POST /upload"),
                    StageVariables={"color": "blue"})


def test_payload_2_event_maps_path_query_headers_cookies_and_body(api_v2):
    api_id, base, _ = api_v2
    event = event_of(call(base + "/items/a%20b?x=1&x=2&y=z", method="GET",
                          headers={"X-Custom": "v", "Cookie": "s=1; t=2", "User-Agent": "compat/1"}))
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /items/{id}"
    assert event["rawPath"] == "/items/a%20b"
    assert event["rawQueryString"] == "x=1&x=2&y=z"
    assert event["queryStringParameters"] == {"x": "1,2", "y": "z"}
    assert event["pathParameters"] == {"id": "a b"}
    assert event["headers"]["x-custom"] == "v"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["s=1", "t=2"]
    assert event["stageVariables"] == {"color": "blue"}
    context = event["requestContext"]
    assert (context["apiId"], context["stage"], context["routeKey"], context["accountId"]) == (api_id, "$default", "GET /items/{id}", "000000000000")
    assert context["http"]["method"] == "GET" and context["http"]["userAgent"] == "compat/1"
    assert context["http"]["sourceIp"] and context["requestId"] and isinstance(context["timeEpoch"], int)
    assert "body" not in event and event["isBase64Encoded"] is False


def test_text_and_binary_bodies(api_v2):
    _, base, _ = api_v2
    text = event_of(call(base + "/upload", method="POST", body=b'{"a": 1}', headers={"Content-Type": "application/json"}))
    assert (text["body"], text["isBase64Encoded"]) == ('{"a": 1}', False)
    binary = event_of(call(base + "/upload", method="POST", body=bytes([0, 159, 255]), headers={"Content-Type": "image/png"}))
    assert binary["isBase64Encoded"] is True and base64.b64decode(binary["body"]) == bytes([0, 159, 255])


def test_response_mapping(api_v2):
    _, base, _ = api_v2
    status, headers, body = call(base + "/items/7")
    assert status == 200 and header(headers, "x-echo") == "yes" and header(headers, "apigw-requestid")
    status, headers, body = call(base + "/any/plain")
    assert (status, header(headers, "content-type"), json.loads(body)) == (200, "application/json", {"hello": "world"})
    status, headers, body = call(base + "/any/binary")
    assert (status, body) == (200, bytes([0, 1, 254, 255]))
    status, headers, _ = call(base + "/any/cookies")
    assert sorted(value for key, value in headers if key.lower() == "set-cookie") == ["a=1; Path=/", "b=2"]


def test_trace_header_reaches_the_function(api_v2):
    _, base, _ = api_v2
    trace = "Root=1-5f84c7a1-0123456789abcdef01234567;Sampled=1"
    status, headers, body = call(base + "/items/1", headers={"X-Amzn-Trace-Id": trace})
    assert header(headers, "x-trace").startswith(trace.split(";")[0])
    assert json.loads(body)["headers"]["x-amzn-trace-id"] == trace
    started = event_of(call(base + "/items/2"))["headers"]["x-amzn-trace-id"]
    assert started.startswith("Root=1-")


def test_route_precedence(api_v2):
    _, base, _ = api_v2
    assert event_of(call(base + "/items/special"))["routeKey"] == "GET /items/special"
    assert event_of(call(base + "/items/9"))["routeKey"] == "GET /items/{id}"
    assert event_of(call(base + "/items/9", method="DELETE"))["routeKey"] == "ANY /items/{id}"
    deep = event_of(call(base + "/items/9/parts"))
    assert (deep["routeKey"], deep["pathParameters"]) == ("ANY /{proxy+}", {"proxy": "items/9/parts"})


def test_gateway_errors(api_v2, apigw, echo):
    _, base, _ = api_v2
    assert call(base + "/items/1/fail")[::2] == (500, b'{"message":"Internal Server Error"}')
    assert call(base + "/x/garbage")[::2] == (500, b'{"message":"Internal Server Error"}')
    assert call(base + "/items/%zz")[0] == 400
    api_id, strict, _ = make_api(apigw, echo, route_keys=("GET /only",))
    assert call(strict + "/elsewhere")[::2] == (404, b'{"message":"Not Found"}')
    missing = "arn:aws:lambda:us-east-1:000000000000:function:does-not-exist"
    _, gone, _ = make_api(apigw, missing, route_keys=("GET /x",))
    assert call(gone + "/x")[::2] == (500, b'{"message":"Internal Server Error"}')
    apigw.delete_api(ApiId=api_id)
    assert call(strict + "/only")[0] == 404


def test_payload_1_event(apigw, echo):
    _, base, _ = make_api(apigw, echo, version="1.0", route_keys=("POST /orders/{id}",))
    event = event_of(call(base + "/orders/5?k=1&k=2", method="POST", body=b"hello", headers={"Content-Type": "text/plain", "X-A": "1"}))
    assert event["version"] == "1.0"
    assert (event["resource"], event["path"], event["httpMethod"]) == ("/orders/{id}", "/orders/5", "POST")
    assert event["queryStringParameters"] == {"k": "2"}
    assert event["multiValueQueryStringParameters"] == {"k": ["1", "2"]}
    assert event["headers"]["x-a"] == "1" and event["multiValueHeaders"]["x-a"] == ["1"]
    assert event["pathParameters"] == {"id": "5"} and event["stageVariables"] is None
    assert (event["body"], event["isBase64Encoded"]) == ("hello", False)
    assert event["requestContext"]["resourcePath"] == "/orders/{id}"
    status, headers, _ = call(base + "/orders/5", method="POST")
    assert header(headers, "x-multi") == "one"


def test_named_stage_and_host_form(apigw, echo, endpoint):
    api_id, base, _ = make_api(apigw, echo, route_keys=("GET /where",), stage="prod", StageVariables={"tier": "gold"})
    assert base.endswith("/prod")
    event = event_of(call(base + "/where"))
    assert (event["requestContext"]["stage"], event["rawPath"], event["stageVariables"]) == ("prod", "/prod/where", {"tier": "gold"})
    port = urllib.parse.urlparse(endpoint).port
    hosted = event_of(call(f"http://127.0.0.1:{port}/prod/where", headers={"Host": f"{api_id}.execute-api.localhost:{port}"}))
    assert hosted["requestContext"]["domainName"] == f"{api_id}.execute-api.localhost"
    assert hosted["requestContext"]["domainPrefix"] == api_id


def test_cors_preflight_and_headers(apigw, echo):
    api_id, base, _ = make_api(apigw, echo, route_keys=("GET /c",))
    apigw.update_api(ApiId=api_id, CorsConfiguration={"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "PUT"],
                                                      "AllowHeaders": ["x-token"], "MaxAge": 600, "ExposeHeaders": ["x-echo"]})
    status, headers, _ = call(base + "/c", method="OPTIONS", headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "X-Token"})
    assert status == 204
    assert header(headers, "access-control-allow-origin") == "https://app.example"
    assert header(headers, "access-control-allow-methods") == "GET,PUT"
    assert header(headers, "access-control-allow-headers") == "x-token"
    assert header(headers, "access-control-max-age") == "600"
    status, headers, _ = call(base + "/c", headers={"Origin": "https://app.example"})
    assert status == 200 and header(headers, "access-control-expose-headers") == "x-echo"
    assert header(call(base + "/c", headers={"Origin": "https://other.example"})[1], "access-control-allow-origin") is None


def test_access_log_reaches_cloudwatch_logs(apigw, echo, session, endpoint):
    from conftest import CLIENT_CONFIG

    api_id, base, _ = make_api(apigw, echo, route_keys=("GET /logged",))
    group = "apigw-access-" + api_id
    apigw.update_stage(ApiId=api_id, StageName="$default", AccessLogSettings={
        "DestinationArn": f"arn:aws:logs:us-east-1:000000000000:log-group:{group}",
        "Format": '{"requestId":"$context.requestId","route":"$context.routeKey","status":"$context.status"}'})
    status, headers, _ = call(base + "/logged")
    assert status == 200
    logs = session.client("logs", endpoint_url=endpoint, config=CLIENT_CONFIG)
    events = logs.filter_log_events(logGroupName=group)["events"]
    assert [json.loads(e["message"]) for e in events] == [
        {"requestId": header(headers, "apigw-requestid"), "route": "GET /logged", "status": "200"}]


def test_throttling(apigw, echo):
    api_id, base, _ = make_api(apigw, echo, route_keys=("GET /t", "GET /free"))
    apigw.update_stage(ApiId=api_id, StageName="$default", RouteSettings={"GET /t": {"ThrottlingBurstLimit": 2, "ThrottlingRateLimit": 0.5}})
    statuses = [call(base + "/t")[0] for _ in range(4)]
    assert statuses[:2] == [200, 200] and statuses[2:] == [429, 429]
    assert call(base + "/t")[2] == b'{"message":"Too Many Requests"}'
    assert all(call(base + "/free")[0] == 200 for _ in range(4))


def test_integration_timeout_is_503(apigw, echo):
    api_id, base, integration = make_api(apigw, echo, route_keys=("GET /sleep",))
    apigw.update_integration(ApiId=api_id, IntegrationId=integration, TimeoutInMillis=300)
    started = time.monotonic()
    assert call(base + "/sleep")[::2] == (503, b'{"message":"Service Unavailable"}')
    assert time.monotonic() - started < 1.4


class _Legacy(http.server.BaseHTTPRequestHandler):
    """The legacy service behind the proxy: answers with what it received."""

    def _answer(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        answer = json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body.decode()}).encode()
        self.send_response(201)
        self.send_header("content-type", "application/json")
        self.send_header("x-legacy", "1")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *arguments):
        pass


@pytest.fixture(scope="module")
def legacy():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Legacy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_proxy_in_front_of_a_legacy_service(apigw, legacy):
    api = apigw.create_api(Name="legacy", ProtocolType="HTTP")
    integration = apigw.create_integration(
        ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationMethod="ANY", IntegrationUri=legacy + "/{proxy}",
        PayloadFormatVersion="1.0", RequestParameters={"append:header.x-from": "gateway", "overwrite:querystring.v": "2"},
    )
    apigw.create_route(ApiId=api["ApiId"], RouteKey="ANY /{proxy+}", Target="integrations/" + integration["IntegrationId"])
    apigw.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    status, headers, body = call(api["ApiEndpoint"] + "/orders/12?v=1&keep=yes", method="PUT", body=b"payload", headers={"X-Client": "c"})
    assert status == 201 and header(headers, "x-legacy") == "1"
    seen = json.loads(body)
    assert seen["method"] == "PUT" and seen["body"] == "payload"
    assert seen["path"] == "/orders/12?keep=yes&v=2"
    received = {key.lower(): value for key, value in seen["headers"].items()}
    assert received["x-client"] == "c" and received["x-from"] == "gateway"
    overwrite = apigw.create_integration(
        ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationMethod="GET", IntegrationUri=legacy,
        RequestParameters={"overwrite:path": "/v2/$request.path.id"},
    )
    apigw.create_route(ApiId=api["ApiId"], RouteKey="GET /users/{id}", Target="integrations/" + overwrite["IntegrationId"])
    assert json.loads(call(api["ApiEndpoint"] + "/users/77")[2])["path"] == "/v2/77"
    apigw.delete_api(ApiId=api["ApiId"])
