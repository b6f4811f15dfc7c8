"""Authentication: loopback accepts any well-formed credentials (a local cloud);
`--verify-signatures` (forced on loopback here, implied off loopback) checks SigV4
against the keys of a `--credentials` file, with AWS's error codes."""

import datetime
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

import rawhttp
from expect import error_of

ALICE_KEY = "AKIANIMBUSALICE00001"
ALICE_SECRET = "alice/Secret/0000000000000000000000000000"
BOB_KEY = "AKIANIMBUSBOB0000002"
BOB_SECRET = "bob/Secret/00000000000000000000000000000"

CREDENTIALS_FILE = f"""# AWS shared-credentials format, as `aws configure` writes it
[alice]
aws_access_key_id = {ALICE_KEY}
aws_secret_access_key = {ALICE_SECRET}

[bob]
aws_access_key_id = {BOB_KEY}
aws_secret_access_key = {BOB_SECRET}
"""

GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"


@pytest.fixture(scope="module")
def credentials_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("credentials") / "credentials"
    path.write_text(CREDENTIALS_FILE)
    return path


@pytest.fixture(scope="module")
def strict_server(start_server, credentials_file):
    return start_server("--credentials", str(credentials_file), "--verify-signatures")


def get(url):
    """(status, body) of a plain GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# --- refusing to start ----------------------------------------------------------


def test_serving_beyond_loopback_without_credentials_refuses_to_start(serve_expecting_exit):
    result = serve_expecting_exit("--host", "0.0.0.0")

    assert result.returncode != 0
    assert "--credentials" in result.stderr, f"stderr does not say what is missing:\n{result.stderr}"


def test_an_unknown_log_level_refuses_to_start(serve_expecting_exit):
    result = serve_expecting_exit("--log-level", "loud")

    assert result.returncode != 0
    assert "log-level" in result.stderr, result.stderr


# --- loopback without verification ------------------------------------------------


def test_loopback_accepts_any_well_formed_credentials(client):
    sts = client("sts", access_key="AKIAANYTHING00000000", secret_key="anything-at-all")
    assert sts.get_caller_identity()["Account"] == "000000000000"


# --- verified signatures ------------------------------------------------------------


def test_correct_keys_identify_the_user(strict_server, client):
    alice = client("sts", endpoint=strict_server.endpoint, access_key=ALICE_KEY, secret_key=ALICE_SECRET)
    bob = client("sts", endpoint=strict_server.endpoint, access_key=BOB_KEY, secret_key=BOB_SECRET)

    alice_identity = alice.get_caller_identity()
    assert alice_identity["Arn"] == "arn:aws:iam::000000000000:user/alice"
    assert alice_identity["Account"] == "000000000000"
    assert bob.get_caller_identity()["Arn"] == "arn:aws:iam::000000000000:user/bob"


def test_wrong_secret_is_signature_does_not_match(strict_server, client):
    sts = client("sts", endpoint=strict_server.endpoint, access_key=ALICE_KEY, secret_key=BOB_SECRET)

    with pytest.raises(ClientError) as raised:
        sts.get_caller_identity()

    status, code, message = error_of(raised.value)
    assert (status, code) == (403, "SignatureDoesNotMatch"), message


def test_unknown_key_id_is_invalid_client_token_id(strict_server, client):
    sts = client("sts", endpoint=strict_server.endpoint, access_key="AKIANOBODY0000000000", secret_key=ALICE_SECRET)

    with pytest.raises(ClientError) as raised:
        sts.get_caller_identity()

    status, code, message = error_of(raised.value)
    assert (status, code) == (403, "InvalidClientTokenId"), message


def test_unsigned_request_is_403(strict_server):
    response = rawhttp.send(
        strict_server.endpoint, "POST", "/", GET_CALLER_IDENTITY.encode(), {"Content-Type": rawhttp.FORM}
    )

    assert response.status == 403, response.describe()
    assert response.error_code(), f"403 without an error code: {response.describe()}"
    assert response.request_id(), response.describe()


def test_signature_an_hour_old_is_rejected(strict_server):
    an_hour_ago = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(hours=1)

    response = rawhttp.send_query(
        strict_server.endpoint,
        "sts",
        GET_CALLER_IDENTITY,
        access_key=ALICE_KEY,
        secret_key=ALICE_SECRET,
        signed_at=an_hour_ago,
    )

    assert response.status == 403, response.describe()
    assert response.error_code() in {"RequestExpired", "RequestTimeTooSkewed", "SignatureDoesNotMatch"}, response.describe()
    message = (response.error_message() or "").lower()
    stamp = an_hour_ago.strftime("%Y%m%dT%H%M%SZ").lower()
    assert stamp in message or "time" in message or "expired" in message, f"message does not explain the clock problem: {message!r}"


def presigned_identity_url(client, server):
    # HttpMethod="GET" as `aws eks get-token` and Vault's AWS auth do: botocore
    # otherwise signs the operation's own method (POST) into a URL meant for GET.
    sts = client("sts", endpoint=server.endpoint, access_key=ALICE_KEY, secret_key=ALICE_SECRET)
    return sts.generate_presigned_url("get_caller_identity", ExpiresIn=300, HttpMethod="GET")


def test_presigned_url_is_accepted(strict_server, client):
    status, body = get(presigned_identity_url(client, strict_server))

    assert status == 200, body
    assert "<Account>000000000000</Account>" in body
    assert "<Arn>arn:aws:iam::000000000000:user/alice</Arn>" in body


def test_tampered_presigned_url_is_403(strict_server, client):
    url = presigned_identity_url(client, strict_server)
    marker = "X-Amz-Signature="
    position = url.index(marker) + len(marker)
    flipped = "1" if url[position] == "0" else "0"
    tampered = url[:position] + flipped + url[position + 1 :]

    status, body = get(tampered)

    assert status == 403, body
    assert "<Code>SignatureDoesNotMatch</Code>" in body, body


def test_sns_confirmation_links_work_unsigned_where_signatures_are_required(strict_server, client):
    # AWS answers a message's SubscribeURL and UnsubscribeURL without a signature: they are
    # links a subscriber opens. Every other operation still needs one.
    from snskit import Endpoint

    sns = client("sns", endpoint=strict_server.endpoint, access_key=ALICE_KEY, secret_key=ALICE_SECRET)
    topic = sns.create_topic(Name="links")["TopicArn"]
    endpoint = Endpoint(confirm=True)
    try:
        arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url("/hook"), ReturnSubscriptionArn=True)["SubscriptionArn"]
        endpoint.wait_for(lambda received: endpoint.confirmations)
        assert endpoint.confirmations[0][0] == 200, endpoint.confirmations
        assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "false"
        sns.publish(TopicArn=topic, Message="hello")
        (notification,) = endpoint.wait_for(lambda received: endpoint.notifications()) and endpoint.notifications()
        status, _ = get(notification.json["UnsubscribeURL"])
        assert status == 200
        assert [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]] == []
        status, _ = get(strict_server.endpoint + "/?Action=ListTopics&Version=2010-03-31")
        assert status == 403
    finally:
        endpoint.close()
