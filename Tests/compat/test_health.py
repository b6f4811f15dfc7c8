"""GET /_nimbus/health: what scripts, load balancers and `nimbus` itself poll."""

import harness


def test_health_reports_status_version_uptime_store_and_services(endpoint):
    status, body, headers = harness.get_health(endpoint)

    assert status == 200
    assert "json" in headers.get("Content-Type", ""), f"Content-Type is {headers.get('Content-Type')!r}"
    assert isinstance(body, dict), f"health body is not a JSON object: {body!r}"
    assert body["status"] == "ok"
    assert isinstance(body["version"], str) and body["version"]
    assert isinstance(body["uptimeSeconds"], (int, float)) and not isinstance(body["uptimeSeconds"], bool)
    assert body["uptimeSeconds"] >= 0
    assert isinstance(body["store"], dict) and body["store"]["kind"] == "sqlite"
    assert isinstance(body["services"], list) and "sts" in body["services"]


def test_uptime_grows(endpoint):
    first = harness.get_health(endpoint)[1]["uptimeSeconds"]
    second = harness.get_health(endpoint)[1]["uptimeSeconds"]
    assert second >= first
