"""API Gateway HTTP APIs' control plane through boto3 (`apigatewayv2`): APIs (and quick
create), routes, integrations, stages, deployments, authorizers, tags and CORS, with AWS's
errors for bad input, and state that survives a restart."""

import uuid

import pytest
from botocore.exceptions import ClientError

import harness
from conftest import make_client
from expect import error_of
from lambdakit import function_arn

FUNCTION = function_arn("nothing-needed-at-creation")


@pytest.fixture
def apigw(client):
    return client("apigatewayv2")


@pytest.fixture
def api(apigw):
    created = apigw.create_api(Name="cp-" + uuid.uuid4().hex[:6], ProtocolType="HTTP", Tags={"team": "a"})
    yield created
    try:
        apigw.delete_api(ApiId=created["ApiId"])
    except ClientError:
        pass


def test_create_get_update_delete_api(apigw, api, endpoint):
    assert api["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert api["ProtocolType"] == "HTTP"
    assert api["RouteSelectionExpression"] == "$request.method $request.path"
    assert api["ApiEndpoint"] == f"{endpoint}/_aws/execute-api/{api['ApiId']}"
    assert len(api["ApiId"]) == 10
    fetched = apigw.get_api(ApiId=api["ApiId"])
    assert fetched["Name"] == api["Name"] and fetched["Tags"] == {"team": "a"}
    assert api["ApiId"] in [item["ApiId"] for item in apigw.get_apis()["Items"]]
    updated = apigw.update_api(ApiId=api["ApiId"], Name="renamed", Description="d")
    assert (updated["Name"], updated["Description"]) == ("renamed", "d")
    apigw.delete_api(ApiId=api["ApiId"])
    with pytest.raises(ClientError) as raised:
        apigw.get_api(ApiId=api["ApiId"])
    assert error_of(raised.value)[:2] == (404, "NotFoundException")


def test_websocket_and_bad_names_are_bad_requests(apigw):
    for arguments in (dict(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"), dict(Name="x" * 129, ProtocolType="HTTP")):
        with pytest.raises(ClientError) as raised:
            apigw.create_api(**arguments)
        assert error_of(raised.value)[:2] == (400, "BadRequestException")


def test_quick_create_makes_integration_route_and_default_stage(apigw):
    api = apigw.create_api(Name="quick", ProtocolType="HTTP", Target=FUNCTION, RouteKey="GET /hello")
    try:
        integrations = apigw.get_integrations(ApiId=api["ApiId"])["Items"]
        assert [(i["IntegrationType"], i["IntegrationUri"], i["PayloadFormatVersion"]) for i in integrations] == [("AWS_PROXY", FUNCTION, "2.0")]
        routes = apigw.get_routes(ApiId=api["ApiId"])["Items"]
        assert [(r["RouteKey"], r["Target"]) for r in routes] == [("GET /hello", "integrations/" + integrations[0]["IntegrationId"])]
        stages = apigw.get_stages(ApiId=api["ApiId"])["Items"]
        assert [(s["StageName"], s["AutoDeploy"]) for s in stages] == [("$default", True)]
        apigw.update_api(ApiId=api["ApiId"], Target=FUNCTION + ":live", RouteKey="POST /hello")
        assert apigw.get_integrations(ApiId=api["ApiId"])["Items"][0]["IntegrationUri"] == FUNCTION + ":live"
        assert apigw.get_routes(ApiId=api["ApiId"])["Items"][0]["RouteKey"] == "POST /hello"
    finally:
        apigw.delete_api(ApiId=api["ApiId"])


def test_routes_crud_and_route_key_validation(apigw, api):
    api_id = api["ApiId"]
    integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION, PayloadFormatVersion="2.0")
    target = "integrations/" + integration["IntegrationId"]
    route = apigw.create_route(ApiId=api_id, RouteKey="GET /items/{id}", Target=target)
    assert route["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert route["AuthorizationType"] == "NONE"
    for key in ("ANY /{proxy+}", "$default", "POST /items"):
        apigw.create_route(ApiId=api_id, RouteKey=key, Target=target)
    assert sorted(r["RouteKey"] for r in apigw.get_routes(ApiId=api_id)["Items"]) == ["$default", "ANY /{proxy+}", "GET /items/{id}", "POST /items"]
    for bad in ("GET", "FETCH /x", "GET no-slash", "GET /{proxy+}/x", "get /x", "GET /a{b}"):
        with pytest.raises(ClientError) as raised:
            apigw.create_route(ApiId=api_id, RouteKey=bad)
        assert error_of(raised.value)[:2] == (400, "BadRequestException"), bad
    with pytest.raises(ClientError) as raised:
        apigw.create_route(ApiId=api_id, RouteKey="GET /items/{name}")
    assert error_of(raised.value)[:2] == (409, "ConflictException")
    with pytest.raises(ClientError) as raised:
        apigw.create_route(ApiId=api_id, RouteKey="GET /x", Target="integrations/nosuch1")
    assert error_of(raised.value)[:2] == (404, "NotFoundException")
    updated = apigw.update_route(ApiId=api_id, RouteId=route["RouteId"], RouteKey="GET /things/{id}")
    assert apigw.get_route(ApiId=api_id, RouteId=route["RouteId"])["RouteKey"] == updated["RouteKey"] == "GET /things/{id}"
    apigw.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    with pytest.raises(ClientError) as raised:
        apigw.get_route(ApiId=api_id, RouteId=route["RouteId"])
    assert error_of(raised.value)[:2] == (404, "NotFoundException")


def test_integrations_crud_and_limits(apigw, api):
    api_id = api["ApiId"]
    alias = FUNCTION + ":live"
    created = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=alias, PayloadFormatVersion="1.0", TimeoutInMillis=5000)
    assert (created["IntegrationUri"], created["PayloadFormatVersion"], created["TimeoutInMillis"]) == (alias, "1.0", 5000)
    proxy = apigw.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="ANY", IntegrationUri="http://127.0.0.1:9/{proxy}",
        PayloadFormatVersion="1.0", RequestParameters={"overwrite:path": "/v2/$request.path.proxy", "append:header.x-from": "gateway"},
    )
    assert proxy["RequestParameters"]["append:header.x-from"] == "gateway"
    bad_inputs = [
        dict(IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION, PayloadFormatVersion="2.0", TimeoutInMillis=30001),
        dict(IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION, PayloadFormatVersion="3.0"),
        dict(IntegrationType="AWS_PROXY", IntegrationUri="arn:aws:sqs:us-east-1:000000000000:q", PayloadFormatVersion="2.0"),
        dict(IntegrationType="HTTP_PROXY", IntegrationUri="http://x", IntegrationMethod="GET", RequestParameters={"bogus:thing": "1"}),
    ]
    for arguments in bad_inputs:
        with pytest.raises(ClientError) as raised:
            apigw.create_integration(ApiId=api_id, **arguments)
        assert error_of(raised.value)[:2] == (400, "BadRequestException"), arguments
    assert apigw.update_integration(ApiId=api_id, IntegrationId=created["IntegrationId"], TimeoutInMillis=30000)["TimeoutInMillis"] == 30000
    assert len(apigw.get_integrations(ApiId=api_id)["Items"]) == 2
    apigw.delete_integration(ApiId=api_id, IntegrationId=proxy["IntegrationId"])
    assert [i["IntegrationId"] for i in apigw.get_integrations(ApiId=api_id)["Items"]] == [created["IntegrationId"]]


def test_stages_deployments_and_settings(apigw, api):
    api_id = api["ApiId"]
    stage = apigw.create_stage(
        ApiId=api_id, StageName="prod", StageVariables={"fn": "items"},
        DefaultRouteSettings={"ThrottlingRateLimit": 10.0, "ThrottlingBurstLimit": 5},
        RouteSettings={"GET /items/{id}": {"ThrottlingRateLimit": 1.0, "ThrottlingBurstLimit": 1}},
    )
    assert stage["StageVariables"] == {"fn": "items"} and stage["AutoDeploy"] is False
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 5
    with pytest.raises(ClientError) as raised:
        apigw.create_stage(ApiId=api_id, StageName="prod")
    assert error_of(raised.value)[:2] == (409, "ConflictException")
    with pytest.raises(ClientError) as raised:
        apigw.create_stage(ApiId=api_id, StageName="bad name!")
    assert error_of(raised.value)[:2] == (400, "BadRequestException")
    deployment = apigw.create_deployment(ApiId=api_id, StageName="prod", Description="first")
    assert deployment["DeploymentStatus"] == "DEPLOYED"
    assert apigw.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"] == deployment["DeploymentId"]
    assert [d["DeploymentId"] for d in apigw.get_deployments(ApiId=api_id)["Items"]] == [deployment["DeploymentId"]]
    updated = apigw.update_stage(ApiId=api_id, StageName="prod", StageVariables={"color": "red"})
    assert updated["StageVariables"] == {"fn": "items", "color": "red"}
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    with pytest.raises(ClientError) as raised:
        apigw.create_deployment(ApiId=api_id, StageName="$default")
    assert error_of(raised.value)[:2] == (400, "BadRequestException")
    apigw.delete_stage(ApiId=api_id, StageName="prod")
    assert [s["StageName"] for s in apigw.get_stages(ApiId=api_id)["Items"]] == ["$default"]


def test_authorizers_crud_and_validation(apigw, api):
    api_id = api["ApiId"]
    jwt = apigw.create_authorizer(
        ApiId=api_id, AuthorizerType="JWT", Name="jwt", IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": "https://issuer.example", "Audience": ["api"]},
    )
    lam_auth = apigw.create_authorizer(
        ApiId=api_id, AuthorizerType="REQUEST", Name="lambda", IdentitySource=["$request.header.Authorization"],
        AuthorizerUri=FUNCTION, AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True, AuthorizerResultTtlInSeconds=60,
    )
    assert {a["Name"] for a in apigw.get_authorizers(ApiId=api_id)["Items"]} == {"jwt", "lambda"}
    assert apigw.get_authorizer(ApiId=api_id, AuthorizerId=lam_auth["AuthorizerId"])["AuthorizerResultTtlInSeconds"] == 60
    for arguments in (
        dict(AuthorizerType="JWT", Name="x", IdentitySource=["$request.header.Authorization"], JwtConfiguration={"Issuer": "https://i"}),
        dict(AuthorizerType="REQUEST", Name="x", IdentitySource=["$request.header.A"], AuthorizerUri=FUNCTION, AuthorizerPayloadFormatVersion="1.0", EnableSimpleResponses=True),
        dict(AuthorizerType="REQUEST", Name="x", IdentitySource=["header.A"], AuthorizerUri=FUNCTION, AuthorizerPayloadFormatVersion="2.0"),
    ):
        with pytest.raises(ClientError) as raised:
            apigw.create_authorizer(ApiId=api_id, **arguments)
        assert error_of(raised.value)[:2] == (400, "BadRequestException"), arguments
    route = apigw.create_route(ApiId=api_id, RouteKey="GET /secure", AuthorizationType="JWT", AuthorizerId=jwt["AuthorizerId"])
    assert route["AuthorizerId"] == jwt["AuthorizerId"]
    with pytest.raises(ClientError) as raised:
        apigw.create_route(ApiId=api_id, RouteKey="GET /other", AuthorizationType="CUSTOM", AuthorizerId=jwt["AuthorizerId"])
    assert error_of(raised.value)[:2] == (400, "BadRequestException")
    apigw.update_authorizer(ApiId=api_id, AuthorizerId=lam_auth["AuthorizerId"], AuthorizerResultTtlInSeconds=0)
    apigw.delete_authorizer(ApiId=api_id, AuthorizerId=lam_auth["AuthorizerId"])
    assert [a["Name"] for a in apigw.get_authorizers(ApiId=api_id)["Items"]] == ["jwt"]


def test_tags_and_cors(apigw, api):
    arn = f"arn:aws:apigateway:us-east-1::/apis/{api['ApiId']}"
    apigw.tag_resource(ResourceArn=arn, Tags={"env": "test"})
    assert apigw.get_tags(ResourceArn=arn)["Tags"] == {"team": "a", "env": "test"}
    apigw.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert apigw.get_tags(ResourceArn=arn)["Tags"] == {"env": "test"}
    cors = {"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET"], "MaxAge": 60}
    assert apigw.update_api(ApiId=api["ApiId"], CorsConfiguration=cors)["CorsConfiguration"] == cors
    apigw.delete_cors_configuration(ApiId=api["ApiId"])
    assert "CorsConfiguration" not in apigw.get_api(ApiId=api["ApiId"])


def test_apis_survive_a_restart(nimbus_bin, tmp_path):
    server = harness.launch(nimbus_bin, [], tmp_path, data_dir=tmp_path / "data")
    try:
        apigw = make_client("apigatewayv2", server.endpoint)
        api = apigw.create_api(Name="durable", ProtocolType="HTTP", Target=FUNCTION)
        server.stop()
        server = harness.launch(nimbus_bin, [], tmp_path, data_dir=tmp_path / "data")
        apigw = make_client("apigatewayv2", server.endpoint)
        assert apigw.get_api(ApiId=api["ApiId"])["Name"] == "durable"
        assert apigw.get_api(ApiId=api["ApiId"])["ApiEndpoint"].startswith(server.endpoint)
        assert len(apigw.get_routes(ApiId=api["ApiId"])["Items"]) == 1
    finally:
        server.stop()
