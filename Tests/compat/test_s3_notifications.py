"""S3 event notifications with boto3: configuration round trip and validation, s3:TestEvent,
records delivered to SQS (shape asserted field by field), to SNS (through an SQS
subscription) and to a Lambda function that reads the object back with boto3."""
import json
import re
import time
import uuid

import pytest
from botocore.exceptions import ClientError

import lambdakit
import sqskit

ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def sqs(client):
    return client("sqs")


@pytest.fixture
def bucket(s3):
    name = f"nb-{uuid.uuid4().hex[:16]}"
    s3.create_bucket(Bucket=name)
    return name


def make_queue(sqs):
    url = sqs.create_queue(QueueName=sqskit.unique("s3n"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def records(messages):
    """The records of notification messages (test events left out), in arrival order."""
    found = []
    for message in messages:
        body = json.loads(message["Body"])
        if "Message" in body and body.get("Type") == "Notification":  # an SNS envelope
            body = json.loads(body["Message"])
        found += body.get("Records", [])
    return found


def test_configuration_round_trip_and_test_event(s3, sqs, bucket):
    url, arn = make_queue(sqs)
    assert "QueueConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)
    configuration = {
        "QueueConfigurations": [
            {
                "Id": "images",
                "QueueArn": arn,
                "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "img/"}, {"Name": "suffix", "Value": ".jpg"}]}},
            }
        ]
    }
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=configuration)
    stored = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    assert stored == [
        {
            "Id": "images",
            "QueueArn": arn,
            "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
            "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "img/"}, {"Name": "Suffix", "Value": ".jpg"}]}},
        }
    ]
    [test_message] = sqskit.drain(sqs, url, 1)
    test_event = json.loads(test_message["Body"])
    assert test_event["Service"] == "Amazon S3"
    assert test_event["Event"] == "s3:TestEvent"
    assert test_event["Bucket"] == bucket
    assert ISO_MILLIS.match(test_event["Time"])
    assert test_event["RequestId"] and test_event["HostId"]

    # An empty configuration removes every destination.
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    assert "QueueConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)


def test_validation(s3, sqs, bucket):
    _, arn = make_queue(sqs)
    missing = arn + "-missing"
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [{"QueueArn": missing, "Events": ["s3:ObjectCreated:*"]}]}
        )
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidArgument"
    assert error["Message"] == "Unable to validate the following destination configurations"
    assert error["ArgumentName1"] == missing
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(
            Bucket=bucket,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {"QueueArn": arn, "Events": ["s3:ObjectCreated:*"], "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "a/"}]}}},
                    {"QueueArn": arn, "Events": ["s3:ObjectCreated:Put"], "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "a/b"}]}}},
                ]
            },
        )
    assert excinfo.value.response["Error"]["Code"] == "InvalidArgument"
    assert "overlapping" in excinfo.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectMangled:*"]}]}
        )
    assert excinfo.value.response["Error"]["Code"] == "InvalidArgument"
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(
            Bucket=bucket,
            NotificationConfiguration={
                "LambdaFunctionConfigurations": [{"LambdaFunctionArn": lambdakit.function_arn("no-such-fn"), "Events": ["s3:ObjectCreated:*"]}]
            },
        )
    assert excinfo.value.response["Error"]["ArgumentName1"] == lambdakit.function_arn("no-such-fn")
    # Nothing was stored by the rejected calls.
    assert "QueueConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_notification_configuration(Bucket=bucket + "-nope")
    assert excinfo.value.response["Error"]["Code"] == "NoSuchBucket"


def test_records_to_sqs_with_filters(s3, sqs, bucket):
    url, arn = make_queue(sqs)
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "Id": "created",
                    "QueueArn": arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}, {"Name": "suffix", "Value": ".txt"}]}},
                },
                {"Id": "removed", "QueueArn": arn, "Events": ["s3:ObjectRemoved:*"]},
            ]
        },
    )
    sqskit.drain(sqs, url, 1)  # the test event
    put = s3.put_object(Bucket=bucket, Key="in/hello world.txt", Body=b"hello")
    s3.put_object(Bucket=bucket, Key="in/skip.bin", Body=b"no")  # suffix does not match
    s3.put_object(Bucket=bucket, Key="out/skip.txt", Body=b"no")  # prefix does not match
    s3.copy_object(Bucket=bucket, Key="in/copy.txt", CopySource={"Bucket": bucket, "Key": "in/hello world.txt"})
    s3.delete_object(Bucket=bucket, Key="out/skip.txt")
    found = sorted(records(sqskit.drain(sqs, url, 3)), key=lambda r: r["eventName"])
    assert [(r["eventName"], r["s3"]["object"]["key"]) for r in found] == [
        ("ObjectCreated:Copy", "in/copy.txt"),
        ("ObjectCreated:Put", "in/hello+world.txt"),
        ("ObjectRemoved:Delete", "out/skip.txt"),
    ]
    record = found[1]
    assert record["eventVersion"] == "2.1"
    assert record["eventSource"] == "aws:s3"
    assert record["awsRegion"] == "us-east-1"
    assert ISO_MILLIS.match(record["eventTime"])
    assert record["userIdentity"]["principalId"]
    assert record["requestParameters"]["sourceIPAddress"] == "127.0.0.1"
    assert record["responseElements"]["x-amz-request-id"] == put["ResponseMetadata"]["RequestId"]
    assert record["responseElements"]["x-amz-id-2"]
    s3_part = record["s3"]
    assert s3_part["s3SchemaVersion"] == "1.0"
    assert s3_part["configurationId"] == "created"
    assert s3_part["bucket"] == {"name": bucket, "ownerIdentity": {"principalId": "000000000000"}, "arn": f"arn:aws:s3:::{bucket}"}
    obj = s3_part["object"]
    assert obj["key"] == "in/hello+world.txt"
    assert obj["size"] == 5
    assert obj["eTag"] == put["ETag"].strip('"')
    assert re.fullmatch(r"[0-9A-F]{16}", obj["sequencer"])
    assert "versionId" not in obj
    removed = found[2]
    assert removed["s3"]["configurationId"] == "removed"
    assert set(removed["s3"]["object"]) == {"key", "sequencer"}
    # Sequencers grow with later events.
    assert found[0]["s3"]["object"]["sequencer"] > found[1]["s3"]["object"]["sequencer"]
    assert sqskit.drain(sqs, url, 1, timeout=1) == []


def test_multipart_completion_is_notified(s3, sqs, bucket):
    url, arn = make_queue(sqs)
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:CompleteMultipartUpload"]}]},
    )
    sqskit.drain(sqs, url, 1)
    s3.put_object(Bucket=bucket, Key="single", Body=b"x")  # Put is not configured
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"abc")
    done = s3.complete_multipart_upload(
        Bucket=bucket, Key="big", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}
    )
    [record] = records(sqskit.drain(sqs, url, 1))
    assert record["eventName"] == "ObjectCreated:CompleteMultipartUpload"
    assert record["s3"]["object"]["key"] == "big"
    assert record["s3"]["object"]["eTag"] == done["ETag"].strip('"')
    assert record["s3"]["object"]["size"] == 3


def test_records_to_sns_through_an_sqs_subscription(s3, sqs, client, bucket):
    sns = client("sns")
    url, queue_arn = make_queue(sqs)
    topic = sns.create_topic(Name=f"s3n-{uuid.uuid4().hex[:10]}")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "TopicConfigurations": [
                {"Id": "to-topic", "TopicArn": topic, "Events": ["s3:ObjectCreated:Put"], "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".csv"}]}}}
            ]
        },
    )
    [test_message] = sqskit.drain(sqs, url, 1)
    envelope = json.loads(test_message["Body"])
    assert envelope["TopicArn"] == topic
    assert envelope["Subject"] == "Amazon S3 Notification"
    assert json.loads(envelope["Message"])["Event"] == "s3:TestEvent"
    s3.put_object(Bucket=bucket, Key="data.json", Body=b"{}")
    s3.put_object(Bucket=bucket, Key="data.csv", Body=b"a,b")
    messages = sqskit.drain(sqs, url, 1)
    [record] = records(messages)
    assert json.loads(messages[0]["Body"])["Subject"] == "Amazon S3 Notification"
    assert record["eventName"] == "ObjectCreated:Put"
    assert record["s3"]["configurationId"] == "to-topic"
    assert record["s3"]["object"]["key"] == "data.csv"
    assert sqskit.drain(sqs, url, 1, timeout=1) == []


READER = """
import json, os, urllib.parse
import boto3

def handler(event, context):
    s3 = boto3.client("s3")
    sqs = boto3.client("sqs")
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
        sqs.send_message(QueueUrl=os.environ["RESULTS"], MessageBody=json.dumps(
            {"event": record["eventName"], "key": key, "body": body, "source": record["eventSource"]}))
"""


def test_records_to_a_lambda_function_that_reads_the_object(s3, sqs, client, bucket):
    lam = client("lambda")
    url, _ = make_queue(sqs)
    name = f"s3reader-{uuid.uuid4().hex[:8]}"
    lambdakit.create_function(lam, name, lambdakit.make_zip({"app.py": READER}), Environment={"Variables": {"RESULTS": url}}, Timeout=30)
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [{"LambdaFunctionArn": lambdakit.function_arn(name), "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    s3.put_object(Bucket=bucket, Key="uploads/a note.txt", Body=b"read me back")
    [message] = sqskit.drain(sqs, url, 1, timeout=30)
    assert json.loads(message["Body"]) == {"event": "ObjectCreated:Put", "key": "uploads/a note.txt", "body": "read me back", "source": "aws:s3"}


def test_aws_cli_configures_notifications_and_aws_s3_cp_triggers_them(sqs, bucket, aws_cli, tmp_path):
    url, arn = make_queue(sqs)
    configuration = {"QueueConfigurations": [{"Id": "cli", "QueueArn": arn, "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]}]}
    aws_cli("s3api", "put-bucket-notification-configuration", "--bucket", bucket, "--notification-configuration", json.dumps(configuration))
    stored = aws_cli("s3api", "get-bucket-notification-configuration", "--bucket", bucket)
    assert stored["QueueConfigurations"][0]["QueueArn"] == arn
    sqskit.drain(sqs, url, 1)  # the test event
    source = tmp_path / "report 2026.csv"
    source.write_bytes(b"a,b\n1,2\n")
    aws_cli("s3", "cp", "--only-show-errors", str(source), f"s3://{bucket}/reports/report 2026.csv")
    aws_cli("s3", "rm", "--only-show-errors", f"s3://{bucket}/reports/report 2026.csv")
    found = records(sqskit.drain(sqs, url, 2))
    assert sorted((r["eventName"], r["s3"]["object"]["key"]) for r in found) == [
        ("ObjectCreated:Put", "reports/report+2026.csv"),
        ("ObjectRemoved:Delete", "reports/report+2026.csv"),
    ]
