"""SQS over the query protocol, as SDKs older than the JSON switch (2023) speak it: form posts
with `Action=…&Version=2012-11-05`, flattened names (`Attribute.1.Name`,
`MessageAttribute.1.Value.StringValue`, `SendMessageBatchRequestEntry.1.Id`) and XML answers.
Requests are SigV4-signed with botocore's signer (rawhttp)."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

import rawhttp
from sqskit import md5_of_attributes, md5_of_body, unique

NS = {"sqs": "http://queue.amazonaws.com/doc/2012-11-05/"}


def query(endpoint, action, **parameters):
    form = urlencode({"Action": action, "Version": "2012-11-05", **parameters})
    return rawhttp.send_query(endpoint, "sqs", form)


def ok(response):
    assert response.status == 200, response.describe()
    root = ET.fromstring(response.body)
    assert root.tag == "{%s}%sResponse" % (NS["sqs"], re.sub(r"Response$", "", root.tag.split("}")[1]))
    assert root.find("sqs:ResponseMetadata/sqs:RequestId", NS) is not None
    return root


def text(root, path):
    found = root.find(path, NS)
    return None if found is None else found.text


@pytest.fixture
def queue_url(endpoint):
    root = ok(query(endpoint, "CreateQueue", QueueName=unique("query"), **{"Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "7"}))
    return text(root, "sqs:CreateQueueResult/sqs:QueueUrl")


def test_create_and_read_attributes_over_query(endpoint, queue_url):
    root = ok(query(endpoint, "GetQueueAttributes", QueueUrl=queue_url, **{"AttributeName.1": "All"}))
    attributes = {
        a.find("sqs:Name", NS).text: a.find("sqs:Value", NS).text for a in root.findall("sqs:GetQueueAttributesResult/sqs:Attribute", NS)
    }
    assert attributes["VisibilityTimeout"] == "7"
    assert attributes["QueueArn"].endswith(queue_url.rsplit("/", 1)[1])

    listed = ok(query(endpoint, "ListQueues", QueueNamePrefix=queue_url.rsplit("/", 1)[1]))
    assert [u.text for u in listed.findall("sqs:ListQueuesResult/sqs:QueueUrl", NS)] == [queue_url]


def test_send_receive_delete_over_query(endpoint, queue_url):
    sent = ok(
        query(
            endpoint,
            "SendMessage",
            QueueUrl=queue_url,
            MessageBody="über query",
            **{
                "MessageAttribute.1.Name": "color",
                "MessageAttribute.1.Value.DataType": "String",
                "MessageAttribute.1.Value.StringValue": "blue",
                "MessageAttribute.2.Name": "raw",
                "MessageAttribute.2.Value.DataType": "Binary",
                "MessageAttribute.2.Value.BinaryValue": "AAH/",
            },
        )
    )
    attributes = {"color": {"DataType": "String", "StringValue": "blue"}, "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xff"}}
    assert text(sent, "sqs:SendMessageResult/sqs:MD5OfMessageBody") == md5_of_body("über query")
    assert text(sent, "sqs:SendMessageResult/sqs:MD5OfMessageAttributes") == md5_of_attributes(attributes)

    received = ok(
        query(endpoint, "ReceiveMessage", QueueUrl=queue_url, **{"AttributeName.1": "All", "MessageAttributeName.1": "All"})
    )
    message = received.find("sqs:ReceiveMessageResult/sqs:Message", NS)
    assert text(message, "sqs:Body") == "über query"
    assert text(message, "sqs:MessageId") == text(sent, "sqs:SendMessageResult/sqs:MessageId")
    system = {a.find("sqs:Name", NS).text: a.find("sqs:Value", NS).text for a in message.findall("sqs:Attribute", NS)}
    assert system["ApproximateReceiveCount"] == "1"
    user = {a.find("sqs:Name", NS).text: a.find("sqs:Value", NS) for a in message.findall("sqs:MessageAttribute", NS)}
    assert text(user["color"], "sqs:StringValue") == "blue" and text(user["raw"], "sqs:BinaryValue") == "AAH/"
    assert text(message, "sqs:MD5OfMessageAttributes") == md5_of_attributes(attributes)

    ok(query(endpoint, "DeleteMessage", QueueUrl=queue_url, ReceiptHandle=text(message, "sqs:ReceiptHandle")))
    assert ok(query(endpoint, "ReceiveMessage", QueueUrl=queue_url)).find("sqs:ReceiveMessageResult/sqs:Message", NS) is None


def test_batches_over_query(endpoint, queue_url):
    entries = {}
    for n in (1, 2):
        entries[f"SendMessageBatchRequestEntry.{n}.Id"] = f"e{n}"
        entries[f"SendMessageBatchRequestEntry.{n}.MessageBody"] = f"body {n}"
    entries["SendMessageBatchRequestEntry.3.Id"] = "bad"
    entries["SendMessageBatchRequestEntry.3.MessageBody"] = "nul \x00"
    root = ok(query(endpoint, "SendMessageBatch", QueueUrl=queue_url, **entries))
    successful = [text(e, "sqs:Id") for e in root.findall("sqs:SendMessageBatchResult/sqs:SendMessageBatchResultEntry", NS)]
    failed = [(text(e, "sqs:Id"), text(e, "sqs:Code")) for e in root.findall("sqs:SendMessageBatchResult/sqs:BatchResultErrorEntry", NS)]
    assert sorted(successful) == ["e1", "e2"]
    assert failed == [("bad", "InvalidMessageContents")]

    received = ok(query(endpoint, "ReceiveMessage", QueueUrl=queue_url, MaxNumberOfMessages="10"))
    handles = [text(m, "sqs:ReceiptHandle") for m in received.findall("sqs:ReceiveMessageResult/sqs:Message", NS)]
    assert len(handles) == 2
    deletes = {}
    for n, handle in enumerate(handles, 1):
        deletes[f"DeleteMessageBatchRequestEntry.{n}.Id"] = f"d{n}"
        deletes[f"DeleteMessageBatchRequestEntry.{n}.ReceiptHandle"] = handle
    deleted = ok(query(endpoint, "DeleteMessageBatch", QueueUrl=queue_url, **deletes))
    assert len(deleted.findall("sqs:DeleteMessageBatchResult/sqs:DeleteMessageBatchResultEntry", NS)) == 2


def test_tags_over_query(endpoint, queue_url):
    ok(query(endpoint, "TagQueue", QueueUrl=queue_url, **{"Tag.1.Key": "team", "Tag.1.Value": "blue"}))
    root = ok(query(endpoint, "ListQueueTags", QueueUrl=queue_url))
    tags = {text(t, "sqs:Key"): text(t, "sqs:Value") for t in root.findall("sqs:ListQueueTagsResult/sqs:Tag", NS)}
    assert tags == {"team": "blue"}
    ok(query(endpoint, "UntagQueue", QueueUrl=queue_url, **{"TagKey.1": "team"}))
    assert ok(query(endpoint, "ListQueueTags", QueueUrl=queue_url)).find("sqs:ListQueueTagsResult/sqs:Tag", NS) is None


def test_query_errors_use_the_query_codes(endpoint):
    response = query(endpoint, "GetQueueUrl", QueueName=unique("missing"))
    assert response.status == 400, response.describe()
    assert response.error_code() == "AWS.SimpleQueueService.NonExistentQueue"
    assert "<Type>Sender</Type>" in response.text

    bad = query(endpoint, "CreateQueue", QueueName=unique(), **{"Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "99999"})
    assert (bad.status, bad.error_code()) == (400, "InvalidAttributeValue")
