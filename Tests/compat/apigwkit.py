"""Helpers for the API Gateway compat tests: small inline functions, HTTP calls that return
errors as values, and an API built in one call."""

import json
import urllib.error
import urllib.request
import uuid

from lambdakit import create_function, function_arn, make_zip

# The function behind most data-plane tests: echoes the event it got, or misbehaves on demand.
ECHO_SOURCE = r'''
import base64, json, os, time

def handler(event, context):
    path = event.get("rawPath") or event.get("path") or ""
    if path.endswith("/fail"):
        raise RuntimeError("boom")
    if path.endswith("/garbage"):
        return {"statusCode": "not a number"}
    if path.endswith("/plain"):
        return {"hello": "world"}
    if path.endswith("/binary"):
        return {"statusCode": 200, "headers": {"content-type": "application/octet-stream"},
                "body": base64.b64encode(bytes([0, 1, 254, 255])).decode(), "isBase64Encoded": True}
    if path.endswith("/sleep"):
        time.sleep(1.5)
    if path.endswith("/cookies"):
        return {"statusCode": 200, "cookies": ["a=1; Path=/", "b=2"], "body": "with cookies"}
    return {"statusCode": 200, "headers": {"content-type": "application/json", "x-echo": "yes",
                                                  "x-trace": os.environ.get("_X_AMZN_TRACE_ID", "")},
            "multiValueHeaders": {"x-multi": ["one", "two"]}, "body": json.dumps(event)}
'''

# A REQUEST authorizer: allows the token "good"; answers simply or with a policy; counts its
# own runs in /tmp so a test can see the cache at work.
AUTHORIZER_SOURCE = r'''
import os

def handler(event, context):
    path = "/tmp/runs"
    runs = int(open(path).read()) + 1 if os.path.exists(path) else 1
    open(path, "w").write(str(runs))
    headers = event.get("headers") or {}
    token = headers.get("authorization", "")
    allowed = token in ("good", "good2")
    if os.environ.get("STYLE") == "simple":
        return {"isAuthorized": allowed, "context": {"runs": runs, "who": "tester"}}
    return {"principalId": "user-7", "context": {"runs": runs},
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow" if allowed else "Deny", "Resource": event["routeArn"]}]}}
'''


def deploy_inline(lam, source, name=None, environment=None, timeout=10):
    """A python3.12 function from one source text; returns its ARN."""
    name = name or "apigw-" + uuid.uuid4().hex[:10]
    extra = {"Environment": {"Variables": environment}} if environment else {}
    create_function(lam, name, make_zip({"app.py": source}), Timeout=timeout, **extra)
    return function_arn(name)


def call(url, method="GET", body=None, headers=None, timeout=10):
    """(status, headers as a list of (name, value), body bytes) — HTTP errors are answers too."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.getheaders(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.items(), error.read()


def header(headers, name):
    values = [value for key, value in headers if key.lower() == name.lower()]
    return values[0] if values else None


def make_api(apigw, function, version="2.0", route_keys=("GET /items/{id}",), stage="$default", **stage_options):
    """An HTTP API whose routes all go to `function`, with an auto-deployed stage; returns
    (api id, base URL of the stage, integration id)."""
    api = apigw.create_api(Name="compat-" + uuid.uuid4().hex[:6], ProtocolType="HTTP")
    integration = apigw.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=function, PayloadFormatVersion=version
    )
    for key in route_keys:
        apigw.create_route(ApiId=api["ApiId"], RouteKey=key, Target="integrations/" + integration["IntegrationId"])
    apigw.create_stage(ApiId=api["ApiId"], StageName=stage, AutoDeploy=True, **stage_options)
    base = api["ApiEndpoint"] + ("" if stage == "$default" else "/" + stage)
    return api["ApiId"], base, integration["IntegrationId"]


def event_of(response):
    status, headers, body = response
    assert status == 200, (status, body)
    return json.loads(body)
