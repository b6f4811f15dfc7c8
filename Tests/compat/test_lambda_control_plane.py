"""Lambda's control plane through boto3 and the AWS CLI: functions are created from a zip,
read, listed, updated, tagged and deleted, with AWS's states, waiters and errors."""

import hashlib
import base64
import io
import urllib.request
import uuid
import zipfile

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::000000000000:role/lambda-role"


def make_zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


HANDLER_ZIP = make_zip({"app.py": "def handler(event, context):\n    return {'ok': True}\n"})


@pytest.fixture
def lam(client):
    return client("lambda")


@pytest.fixture
def function_name(lam):
    name = f"fn-{uuid.uuid4().hex[:12]}"
    yield name
    try:
        lam.delete_function(FunctionName=name)
    except ClientError:
        pass


def create(lam, name, **overrides):
    arguments = dict(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler", Code={"ZipFile": HANDLER_ZIP})
    arguments.update(overrides)
    return lam.create_function(**arguments)


def test_create_reports_pending_then_active_with_aws_code_hash(lam, function_name):
    created = create(lam, function_name, Environment={"Variables": {"STAGE": "test"}}, Timeout=10, MemorySize=256)
    assert created["State"] == "Pending"
    assert created["CodeSha256"] == base64.b64encode(hashlib.sha256(HANDLER_ZIP).digest()).decode()
    assert created["CodeSize"] == len(HANDLER_ZIP)
    assert created["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
    assert created["Version"] == "$LATEST"
    lam.get_waiter("function_active_v2").wait(FunctionName=function_name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    configuration = lam.get_function_configuration(FunctionName=function_name)
    assert configuration["State"] == "Active"
    assert configuration["Timeout"] == 10 and configuration["MemorySize"] == 256
    assert configuration["Environment"] == {"Variables": {"STAGE": "test"}}
    assert configuration["Runtime"] == "python3.12" and configuration["Handler"] == "app.handler"


def test_get_function_code_location_downloads_the_zip(lam, function_name):
    create(lam, function_name, Tags={"team": "core"})
    function = lam.get_function(FunctionName=function_name)
    assert function["Tags"] == {"team": "core"}
    with urllib.request.urlopen(function["Code"]["Location"]) as response:
        assert response.read() == HANDLER_ZIP


def test_function_named_by_arn_and_partial_arn(lam, function_name):
    create(lam, function_name)
    arn = f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
    assert lam.get_function(FunctionName=arn)["Configuration"]["FunctionName"] == function_name
    partial = f"000000000000:function:{function_name}"
    assert lam.get_function_configuration(FunctionName=partial)["FunctionArn"] == arn


def test_list_functions_paginates_with_marker(lam):
    names = [f"page-{uuid.uuid4().hex[:8]}-{i}" for i in range(3)]
    try:
        for name in names:
            create(lam, name)
        seen = []
        marker = None
        while True:
            page = lam.list_functions(MaxItems=1, **({"Marker": marker} if marker else {}))
            assert len(page["Functions"]) <= 1
            seen += [f["FunctionName"] for f in page["Functions"]]
            marker = page.get("NextMarker")
            if not marker:
                break
        assert set(names) <= set(seen)
        assert len(seen) == len(set(seen))
    finally:
        for name in names:
            lam.delete_function(FunctionName=name)


def test_update_code_and_configuration_with_waiter(lam, function_name):
    create(lam, function_name)
    new_zip = make_zip({"app.py": "def handler(event, context):\n    return 2\n"})
    updated = lam.update_function_code(FunctionName=function_name, ZipFile=new_zip)
    assert updated["LastUpdateStatus"] == "InProgress"
    assert updated["CodeSha256"] == base64.b64encode(hashlib.sha256(new_zip).digest()).decode()
    lam.get_waiter("function_updated_v2").wait(FunctionName=function_name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    before = lam.get_function_configuration(FunctionName=function_name)
    lam.update_function_configuration(
        FunctionName=function_name, Timeout=30, Description="updated", EphemeralStorage={"Size": 1024}, Handler="app.other"
    )
    after = lam.get_function_configuration(FunctionName=function_name)
    assert (after["Timeout"], after["Description"], after["EphemeralStorage"]["Size"], after["Handler"]) == (30, "updated", 1024, "app.other")
    assert after["RevisionId"] != before["RevisionId"]
    assert after["LastUpdateStatus"] == "Successful"
    with pytest.raises(ClientError) as stale:
        lam.update_function_configuration(FunctionName=function_name, Timeout=5, RevisionId=before["RevisionId"])
    assert stale.value.response["Error"]["Code"] == "PreconditionFailedException"


def test_tags(lam, function_name):
    arn = create(lam, function_name, Tags={"a": "1"})["FunctionArn"]
    lam.tag_resource(Resource=arn, Tags={"b": "2"})
    lam.untag_resource(Resource=arn, TagKeys=["a"])
    assert lam.list_tags(Resource=arn)["Tags"] == {"b": "2"}


def test_delete_then_not_found(lam, function_name):
    create(lam, function_name)
    lam.delete_function(FunctionName=function_name)
    with pytest.raises(ClientError) as missing:
        lam.get_function(FunctionName=function_name)
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_account_settings_count_functions(lam, function_name):
    before = lam.get_account_settings()["AccountUsage"]["FunctionCount"]
    create(lam, function_name)
    settings = lam.get_account_settings()
    assert settings["AccountUsage"]["FunctionCount"] == before + 1
    assert settings["AccountLimit"]["CodeSizeZipped"] == 52428800
    assert settings["AccountLimit"]["CodeSizeUnzipped"] == 262144000


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"Code": {"ZipFile": b"not a zip"}}, "InvalidParameterValueException"),
        ({"Code": {"ZipFile": make_zip({"../escape.py": "x"})}}, "InvalidParameterValueException"),
        ({"Code": {"ZipFile": make_zip({"/etc/evil": "x"})}}, "InvalidParameterValueException"),
        ({"Runtime": "cobol1.0"}, "InvalidParameterValueException"),
        ({"Timeout": 901}, "ValidationException"),
        ({"MemorySize": 10241}, "ValidationException"),
        ({"Environment": {"Variables": {"BIG": "x" * 5000}}}, "InvalidParameterValueException"),
    ],
)
def test_bad_input_gets_aws_errors(lam, function_name, overrides, code):
    with pytest.raises(ClientError) as error:
        create(lam, function_name, **overrides)
    assert error.value.response["Error"]["Code"] == code
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_duplicate_create_conflicts(lam, function_name):
    create(lam, function_name)
    with pytest.raises(ClientError) as conflict:
        create(lam, function_name)
    assert conflict.value.response["Error"]["Code"] == "ResourceConflictException"
    assert conflict.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_functions_survive_kill_9_and_restart(start_server, client):
    server = start_server()
    create(client("lambda", endpoint=server.endpoint), "durable-fn", Tags={"kept": "yes"})
    server.process.kill()  # SIGKILL: no graceful shutdown, the write must already be durable
    server.process.wait(timeout=10)
    restarted = start_server(data_dir=server.data_dir)
    function = client("lambda", endpoint=restarted.endpoint).get_function(FunctionName="durable-fn")
    assert function["Configuration"]["CodeSize"] == len(HANDLER_ZIP)
    assert function["Tags"] == {"kept": "yes"}
    with urllib.request.urlopen(function["Code"]["Location"]) as response:
        assert response.read() == HANDLER_ZIP


def test_aws_cli_lists_functions(aws_cli, lam, function_name):
    create(lam, function_name)
    names = [f["FunctionName"] for f in aws_cli("lambda", "list-functions")["Functions"]]
    assert function_name in names
