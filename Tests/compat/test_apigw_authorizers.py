"""API Gateway HTTP API authorizers over real HTTP: REQUEST Lambda authorizers (simple and
IAM-policy answers, identity sources, caching) and JWT authorizers whose keys come from a
locally served OpenID discovery document and JWKS."""

import base64
import http.server
import json
import threading
import time

import pytest

pytest.importorskip("cryptography", reason="the JWT tests sign tokens with `cryptography` (scripts/test installs it)")
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402

from apigwkit import AUTHORIZER_SOURCE, ECHO_SOURCE, call, deploy_inline, event_of, make_api
from conftest import CLIENT_CONFIG


@pytest.fixture(scope="module")
def apigw(session, endpoint):
    return session.client("apigatewayv2", endpoint_url=endpoint, config=CLIENT_CONFIG)


@pytest.fixture(scope="module")
def lam(session, endpoint):
    return session.client("lambda", endpoint_url=endpoint, config=CLIENT_CONFIG)


@pytest.fixture(scope="module")
def echo(lam):
    return deploy_inline(lam, ECHO_SOURCE)


def guarded(apigw, echo, authorizer_arguments, route_arguments=None):
    api_id, base, integration = make_api(apigw, echo, route_keys=())
    authorizer = apigw.create_authorizer(ApiId=api_id, Name="auth", **authorizer_arguments)
    kind = "JWT" if authorizer_arguments["AuthorizerType"] == "JWT" else "CUSTOM"
    apigw.create_route(ApiId=api_id, RouteKey="GET /secret", Target="integrations/" + integration,
                       AuthorizationType=kind, AuthorizerId=authorizer["AuthorizerId"], **(route_arguments or {}))
    return base


def test_lambda_authorizer_simple_responses_and_cache(apigw, lam, echo):
    authorizer = deploy_inline(lam, AUTHORIZER_SOURCE, environment={"STYLE": "simple"})
    base = guarded(apigw, echo, dict(
        AuthorizerType="REQUEST", AuthorizerUri=authorizer, AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True,
        IdentitySource=["$request.header.Authorization"], AuthorizerResultTtlInSeconds=300))
    first = event_of(call(base + "/secret", headers={"Authorization": "good"}))
    assert first["requestContext"]["authorizer"]["lambda"]["who"] == "tester"
    runs = first["requestContext"]["authorizer"]["lambda"]["runs"]
    cached = event_of(call(base + "/secret", headers={"Authorization": "good"}))
    assert cached["requestContext"]["authorizer"]["lambda"]["runs"] == runs  # answered from the cache
    other = event_of(call(base + "/secret", headers={"Authorization": "good2"}))
    assert other["requestContext"]["authorizer"]["lambda"]["runs"] > runs  # another identity runs it again
    assert call(base + "/secret", headers={"Authorization": "bad"})[::2] == (403, b'{"message":"Forbidden"}')
    assert call(base + "/secret")[::2] == (401, b'{"message":"Unauthorized"}')


def test_lambda_authorizer_policy_responses(apigw, lam, echo):
    authorizer = deploy_inline(lam, AUTHORIZER_SOURCE, environment={"STYLE": "policy"})
    base = guarded(apigw, echo, dict(
        AuthorizerType="REQUEST", AuthorizerUri=authorizer, AuthorizerPayloadFormatVersion="2.0",
        IdentitySource=["$request.header.Authorization"]))
    allowed = event_of(call(base + "/secret", headers={"Authorization": "good"}))
    assert allowed["requestContext"]["authorizer"]["principalId"] == "user-7"
    assert call(base + "/secret", headers={"Authorization": "bad"})[0] == 403


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_bytes(value):
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


class _Issuer:
    """An OpenID issuer on a local port: discovery document, JWKS, and a token factory."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        issuer = self
        numbers = self.key.public_key().public_numbers()
        self.jwks = {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1",
                               "n": _b64url(_int_bytes(numbers.n)), "e": _b64url(_int_bytes(numbers.e))}]}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    body = json.dumps({"issuer": issuer.url, "jwks_uri": issuer.url + "/jwks"}).encode()
                elif self.path == "/jwks":
                    body = json.dumps(issuer.jwks).encode()
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *arguments):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, key=None, alg="RS256", **claims):
        body = {"iss": self.url, "aud": "compat-api", "sub": "alice", "exp": int(time.time()) + 300, "scope": "read"}
        body.update(claims)
        signed = _b64url(json.dumps({"alg": alg, "kid": "k1", "typ": "JWT"}).encode()) + "." + _b64url(json.dumps(body).encode())
        if alg == "none":
            return signed + "."
        signature = (key or self.key).sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signed + "." + _b64url(signature)


@pytest.fixture(scope="module")
def issuer():
    served = _Issuer()
    yield served
    served.server.shutdown()
    served.server.server_close()


def test_jwt_authorizer(apigw, echo, issuer):
    base = guarded(apigw, echo, dict(
        AuthorizerType="JWT", IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": issuer.url, "Audience": ["compat-api"]}), dict(AuthorizationScopes=["read"]))
    event = event_of(call(base + "/secret", headers={"Authorization": "Bearer " + issuer.token()}))
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    assert (claims["sub"], claims["aud"]) == ("alice", "compat-api")
    assert event["requestContext"]["authorizer"]["jwt"]["scopes"] == ["read"]
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token in (
        issuer.token(exp=int(time.time()) - 10),
        issuer.token(aud="someone-else"),
        issuer.token(key=stranger),
        issuer.token(alg="none"),
        "not-a-jwt",
    ):
        assert call(base + "/secret", headers={"Authorization": "Bearer " + token})[::2] == (401, b'{"message":"Unauthorized"}')
    assert call(base + "/secret")[0] == 401
    assert call(base + "/secret", headers={"Authorization": "Bearer " + issuer.token(scope="write")})[0] == 403
