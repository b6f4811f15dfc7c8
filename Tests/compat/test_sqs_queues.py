"""SQS queues with boto3 and the AWS CLI: create (idempotent), URLs, listing, attributes
with AWS's ranges and errors, tags, purge, and the error codes botocore expects."""

import time

import pytest

from expect import code_of, error_of
from sqskit import unique


@pytest.fixture(scope="module")
def sqs(client):
    return client("sqs")



def test_create_returns_a_url_built_from_the_request_host(sqs, endpoint):
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    assert url == f"{endpoint}/000000000000/{name}"
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url


def test_any_host_in_a_queue_url_names_the_queue(sqs):
    name = unique()
    sqs.create_queue(QueueName=name)
    foreign = f"https://sqs.us-east-1.amazonaws.com/000000000000/{name}"
    sqs.send_message(QueueUrl=foreign, MessageBody="via another host")
    attributes = sqs.get_queue_attributes(QueueUrl=foreign, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert attributes == {"ApproximateNumberOfMessages": "1"}


def test_create_is_idempotent_with_the_same_attributes_and_refuses_different_ones(sqs):
    name = unique()
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
    assert sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45"})["QueueUrl"] == url
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == url

    with pytest.raises(sqs.exceptions.QueueNameExists) as raised:
        sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "46"})
    assert error_of(raised.value)[1] == "QueueAlreadyExists"


def test_a_missing_queue_is_aws_nonexistent_queue(sqs, endpoint):
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as raised:
        sqs.get_queue_url(QueueName=unique("missing"))
    status, code, _ = error_of(raised.value)
    assert (status, code) == (400, "AWS.SimpleQueueService.NonExistentQueue")

    url = f"{endpoint}/000000000000/{unique('missing')}"
    assert code_of(sqs.send_message, QueueUrl=url, MessageBody="x") == "AWS.SimpleQueueService.NonExistentQueue"
    assert code_of(sqs.get_queue_attributes, QueueUrl=url, AttributeNames=["All"]) == "AWS.SimpleQueueService.NonExistentQueue"


@pytest.mark.parametrize("name", ["", "has space", "dot.in.name", "x" * 81, "ümlaut"])
def test_invalid_queue_names_are_refused(sqs, name):
    assert code_of(sqs.create_queue, QueueName=name) == "InvalidParameterValue"


def test_fifo_names_need_the_fifo_attribute_and_suffix(sqs):
    assert code_of(sqs.create_queue, QueueName=unique() + ".fifo") == "InvalidParameterValue"
    assert code_of(sqs.create_queue, QueueName=unique(), Attributes={"FifoQueue": "true"}) == "InvalidParameterValue"
    assert code_of(sqs.create_queue, QueueName="x" * 76 + ".fifo", Attributes={"FifoQueue": "true"}) == "InvalidParameterValue"
    url = sqs.create_queue(QueueName="y" * 75 + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)


@pytest.mark.parametrize(
    "attribute, value",
    [
        ("VisibilityTimeout", "43201"),
        ("VisibilityTimeout", "-1"),
        ("DelaySeconds", "901"),
        ("MaximumMessageSize", "1023"),
        ("MaximumMessageSize", "1048577"),
        ("MessageRetentionPeriod", "59"),
        ("MessageRetentionPeriod", "1209601"),
        ("ReceiveMessageWaitTimeSeconds", "21"),
        ("VisibilityTimeout", "ten"),
        ("KmsDataKeyReusePeriodSeconds", "59"),
    ],
)
def test_attribute_values_out_of_range_are_invalid_attribute_value(sqs, attribute, value):
    assert code_of(sqs.create_queue, QueueName=unique(), Attributes={attribute: value}) == "InvalidAttributeValue"


def test_unknown_read_only_and_fifo_only_attributes_are_invalid_attribute_name(sqs):
    assert code_of(sqs.create_queue, QueueName=unique(), Attributes={"QueueArn": "x"}) == "InvalidAttributeName"
    assert code_of(sqs.create_queue, QueueName=unique(), Attributes={"ContentBasedDeduplication": "true"}) == "InvalidAttributeName"
    url = sqs.create_queue(QueueName=unique())["QueueUrl"]
    assert code_of(sqs.get_queue_attributes, QueueUrl=url, AttributeNames=["NoSuchAttribute"]) == "InvalidAttributeName"


def test_every_attribute_of_a_standard_queue(sqs):
    name = unique()
    before = int(time.time())
    url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "DelaySeconds": "5",
            "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "86400",
            "ReceiveMessageWaitTimeSeconds": "2",
            "VisibilityTimeout": "60",
            "Policy": '{"Version":"2012-10-17","Statement":[]}',
            "KmsMasterKeyId": "alias/aws/sqs",
            "KmsDataKeyReusePeriodSeconds": "600",
        },
    )["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["QueueArn"] == f"arn:aws:sqs:us-east-1:000000000000:{name}"
    assert attributes["DelaySeconds"] == "5"
    assert attributes["MaximumMessageSize"] == "1048576"
    assert attributes["MessageRetentionPeriod"] == "86400"
    assert attributes["ReceiveMessageWaitTimeSeconds"] == "2"
    assert attributes["VisibilityTimeout"] == "60"
    assert attributes["Policy"] == '{"Version":"2012-10-17","Statement":[]}'
    assert attributes["KmsMasterKeyId"] == "alias/aws/sqs"
    assert attributes["KmsDataKeyReusePeriodSeconds"] == "600"
    assert attributes["SqsManagedSseEnabled"] == "false"
    for count in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"):
        assert attributes[count] == "0"
    assert before - 1 <= int(attributes["CreatedTimestamp"]) <= time.time() + 1
    assert "FifoQueue" not in attributes

    only = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout", "QueueArn"])["Attributes"]
    assert set(only) == {"VisibilityTimeout", "QueueArn"}
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=url)


def test_fifo_queue_attributes(sqs):
    url = sqs.create_queue(
        QueueName=unique(fifo=True),
        Attributes={
            "FifoQueue": "true",
            "ContentBasedDeduplication": "true",
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
    )["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["FifoQueue"] == "true"
    assert attributes["ContentBasedDeduplication"] == "true"
    assert attributes["DeduplicationScope"] == "messageGroup"
    assert attributes["FifoThroughputLimit"] == "perMessageGroupId"
    bad = {"FifoThroughputLimit": "perMessageGroupId", "DeduplicationScope": "queue"}
    assert code_of(sqs.set_queue_attributes, QueueUrl=url, Attributes=bad) == "InvalidAttributeValue"
    assert code_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"FifoQueue": "false"}) == "InvalidAttributeValue"


def test_set_queue_attributes_changes_them_and_the_modified_time(sqs):
    url = sqs.create_queue(QueueName=unique())["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "5", "DelaySeconds": "1"})
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attributes["VisibilityTimeout"], attributes["DelaySeconds"]) == ("5", "1")
    assert int(attributes["LastModifiedTimestamp"]) >= int(attributes["CreatedTimestamp"])
    assert code_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"DelaySeconds": "1000"}) == "InvalidAttributeValue"
    assert code_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"Policy": "not json"}) == "InvalidAttributeValue"


def test_list_queues_by_prefix_and_page(sqs):
    prefix = unique("list")
    urls = sorted(sqs.create_queue(QueueName=f"{prefix}-{n}")["QueueUrl"] for n in range(5))
    assert sorted(sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]) == urls

    first = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
    assert len(first["QueueUrls"]) == 2 and "NextToken" in first
    pages = sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix, PaginationConfig={"PageSize": 2})
    assert [url for page in pages for url in page["QueueUrls"]] == urls
    assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix=unique("none"))
    assert code_of(sqs.list_queues, MaxResults=1001) == "InvalidParameterValue"


def test_delete_queue(sqs):
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="gone with the queue")
    sqs.delete_queue(QueueUrl=url)
    assert code_of(sqs.get_queue_url, QueueName=name) == "AWS.SimpleQueueService.NonExistentQueue"
    assert code_of(sqs.delete_queue, QueueUrl=url) == "AWS.SimpleQueueService.NonExistentQueue"
    # The name stays taken for a minute (the Swift tests cover the minute after).
    assert code_of(sqs.create_queue, QueueName=name) == "AWS.SimpleQueueService.QueueDeletedRecently"


def test_tags(sqs):
    url = sqs.create_queue(QueueName=unique(), tags={"team": "a", "env": "dev"})["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "a", "env": "dev"}
    sqs.tag_queue(QueueUrl=url, Tags={"env": "prod", "cost": "1"})
    sqs.untag_queue(QueueUrl=url, TagKeys=["team"])
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"env": "prod", "cost": "1"}
    too_many = {f"k{n}": "v" for n in range(50)}
    assert code_of(sqs.tag_queue, QueueUrl=url, Tags=too_many) == "InvalidParameterValue"


def test_purge_empties_the_queue_once_a_minute(sqs):
    url = sqs.create_queue(QueueName=unique())["QueueUrl"]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": f"m{n}"} for n in range(5)])
    sqs.purge_queue(QueueUrl=url)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessages"] == "0"
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    with pytest.raises(sqs.exceptions.PurgeQueueInProgress) as raised:
        sqs.purge_queue(QueueUrl=url)
    assert error_of(raised.value)[1] == "AWS.SimpleQueueService.PurgeQueueInProgress"


def test_aws_cli_creates_lists_and_deletes(aws_cli):
    name = unique("cli")
    url = aws_cli("sqs", "create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=12")["QueueUrl"]
    assert url in aws_cli("sqs", "list-queues", "--queue-name-prefix", name)["QueueUrls"]
    attributes = aws_cli("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "VisibilityTimeout")
    assert attributes["Attributes"] == {"VisibilityTimeout": "12"}
    aws_cli("sqs", "delete-queue", "--queue-url", url)
