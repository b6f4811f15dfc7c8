"""STS GetCallerIdentity: the first call every AWS tool makes to check its setup."""

from expect import assert_request_id

ROOT_IDENTITY = {
    "UserId": "000000000000",
    "Account": "000000000000",
    "Arn": "arn:aws:iam::000000000000:root",
}


def identity(response):
    return {key: response[key] for key in ("UserId", "Account", "Arn")}


def test_boto3_get_caller_identity_is_the_default_account_root(client):
    response = client("sts").get_caller_identity()

    assert identity(response) == ROOT_IDENTITY
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["ResponseMetadata"]["RequestId"], "the XML response carries no RequestId"
    assert_request_id(response["ResponseMetadata"]["HTTPHeaders"])


def test_aws_cli_get_caller_identity_prints_the_same_identity(aws_cli):
    assert aws_cli("sts", "get-caller-identity") == ROOT_IDENTITY


def test_account_and_region_flags(start_server, client):
    server = start_server("--account-id", "123456789012", "--region", "eu-west-1")

    response = client("sts", endpoint=server.endpoint, region="eu-west-1").get_caller_identity()

    assert response["Account"] == "123456789012"
    assert response["Arn"] == "arn:aws:iam::123456789012:root"


def test_account_id_environment_variable(start_server, client):
    server = start_server(env={"NIMBUS_ACCOUNT_ID": "111122223333"})

    response = client("sts", endpoint=server.endpoint).get_caller_identity()

    assert response["Account"] == "111122223333"
    assert response["Arn"] == "arn:aws:iam::111122223333:root"


def test_account_id_flag_overrides_the_environment(start_server, client):
    server = start_server("--account-id", "444455556666", env={"NIMBUS_ACCOUNT_ID": "111122223333"})

    assert client("sts", endpoint=server.endpoint).get_caller_identity()["Account"] == "444455556666"
