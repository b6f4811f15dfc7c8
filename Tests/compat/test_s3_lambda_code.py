"""Lambda CreateFunction and UpdateFunctionCode with Code.S3Bucket/S3Key read from Nimbus's S3."""
import json
import uuid

import pytest
from botocore.exceptions import ClientError

import lambdakit

V1 = lambdakit.make_zip({"app.py": "def handler(event, context):\n    return {'version': 1, 'echo': event}\n"})
V2 = lambdakit.make_zip({"app.py": "def handler(event, context):\n    return {'version': 2}\n"})


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def lam(client):
    return client("lambda")


def invoke(lam, name, payload):
    response = lam.invoke(FunctionName=name, Payload=json.dumps(payload).encode())
    return json.loads(response["Payload"].read())


def test_create_and_update_function_from_s3(s3, lam):
    bucket = f"code-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="releases/v1.zip", Body=V1)
    s3.put_object(Bucket=bucket, Key="releases/v2.zip", Body=V2)
    name = f"from-s3-{uuid.uuid4().hex[:8]}"
    created = lambdakit.create_function(lam, name, None, Code={"S3Bucket": bucket, "S3Key": "releases/v1.zip"})
    assert created["CodeSize"] == len(V1)
    assert invoke(lam, name, {"x": 1}) == {"version": 1, "echo": {"x": 1}}

    updated = lam.update_function_code(FunctionName=name, S3Bucket=bucket, S3Key="releases/v2.zip")
    assert updated["CodeSize"] == len(V2)
    lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    assert invoke(lam, name, {}) == {"version": 2}


def test_missing_code_objects_are_reported_as_aws_does(s3, lam):
    bucket = f"code-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    name = f"from-s3-{uuid.uuid4().hex[:8]}"
    with pytest.raises(ClientError) as excinfo:
        lam.create_function(
            FunctionName=name, Runtime="python3.12", Role=lambdakit.ROLE, Handler="app.handler", Code={"S3Bucket": bucket, "S3Key": "nope.zip"}
        )
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidParameterValueException"
    assert error["Message"].startswith("Error occurred while GetObject. S3 Error Code: NoSuchKey.")
    with pytest.raises(ClientError) as excinfo:
        lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=lambdakit.ROLE,
            Handler="app.handler",
            Code={"S3Bucket": bucket + "-missing", "S3Key": "nope.zip"},
        )
    assert "S3 Error Code: NoSuchBucket." in excinfo.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as excinfo:
        lam.get_function(FunctionName=name)
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
