"""A Powertools `APIGatewayHttpResolver` application served unchanged through an HTTP API."""

import json

import pytest

from apigwkit import call, make_api
from conftest import CLIENT_CONFIG
from lambdakit import PipUnavailable, create_function, function_arn, pip_target, zip_function


@pytest.fixture(scope="module")
def powertools_api(session, endpoint):
    try:
        site = pip_target("aws-lambda-powertools")
    except PipUnavailable as reason:
        pytest.skip(str(reason))
    lam = session.client("lambda", endpoint_url=endpoint, config=CLIENT_CONFIG)
    apigw = session.client("apigatewayv2", endpoint_url=endpoint, config=CLIENT_CONFIG)
    name = "apigw-powertools"
    try:
        lam.get_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        create_function(lam, name, zip_function("python_powertools_http", site_packages=[site]), Timeout=20)
    return make_api(apigw, function_arn(name), route_keys=("ANY /{proxy+}",))[1]


def test_powertools_resolver_routes_and_responds(powertools_api):
    status, _, body = call(powertools_api + "/items/42?q=hello", timeout=30)
    assert status == 200, body
    assert json.loads(body) == {"id": "42", "q": "hello", "route": "ANY /{proxy+}"}
    status, headers, body = call(powertools_api + "/items", method="POST", body=b'{"name": "pen"}',
                                 headers={"Content-Type": "application/json"})
    assert (status, json.loads(body)) == (201, {"created": {"name": "pen"}})
    assert dict((k.lower(), v) for k, v in headers)["x-created"] == "yes"
    status, _, body = call(powertools_api + "/unknown")
    assert status == 404 and json.loads(body)["message"] == "Not found"
