"""S3 delete markers on reads and deletes, and ListObjectVersions paging, with boto3."""
import uuid

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def bucket(s3):
    name = f"dm-{uuid.uuid4().hex[:16]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def failure(call, **kwargs):
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    response = excinfo.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"].get("Code"), response["ResponseMetadata"]["HTTPHeaders"]


def test_reads_of_a_key_behind_a_delete_marker(s3, bucket):
    version = s3.put_object(Bucket=bucket, Key="k", Body=b"body")["VersionId"]
    deleted = s3.delete_object(Bucket=bucket, Key="k")
    marker = deleted["VersionId"]
    assert deleted["DeleteMarker"] is True and marker != version
    assert deleted["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"] == "true"
    assert deleted["ResponseMetadata"]["HTTPHeaders"]["x-amz-version-id"] == marker

    status, code, headers = failure(s3.get_object, Bucket=bucket, Key="k")
    assert (status, code) == (404, "NoSuchKey")
    assert headers["x-amz-delete-marker"] == "true" and headers["x-amz-version-id"] == marker

    status, _, headers = failure(s3.head_object, Bucket=bucket, Key="k")
    assert status == 404
    assert headers["x-amz-delete-marker"] == "true" and headers["x-amz-version-id"] == marker

    for call in (s3.get_object, s3.head_object):
        status, _, headers = failure(call, Bucket=bucket, Key="k", VersionId=marker)
        assert status == 405
        assert headers["x-amz-delete-marker"] == "true" and headers["x-amz-version-id"] == marker
        assert headers["last-modified"].endswith(" GMT")
    status, code, _ = failure(s3.get_object, Bucket=bucket, Key="k", VersionId=marker)
    assert code == "MethodNotAllowed"

    # The object's own version is still readable, and carries no delete-marker header.
    got = s3.get_object(Bucket=bucket, Key="k", VersionId=version)
    assert got["Body"].read() == b"body"
    assert "x-amz-delete-marker" not in got["ResponseMetadata"]["HTTPHeaders"]

    # A key that never existed: a plain 404.
    status, code, headers = failure(s3.get_object, Bucket=bucket, Key="never")
    assert (status, code) == (404, "NoSuchKey") and "x-amz-delete-marker" not in headers


def test_suspended_bucket_marker_is_the_null_version(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    deleted = s3.delete_object(Bucket=bucket, Key="k")
    assert deleted["DeleteMarker"] is True and deleted["VersionId"] == "null"
    status, _, headers = failure(s3.head_object, Bucket=bucket, Key="k")
    assert status == 404 and headers["x-amz-delete-marker"] == "true" and headers["x-amz-version-id"] == "null"


def test_delete_responses_name_markers(s3, bucket):
    v1 = s3.put_object(Bucket=bucket, Key="a", Body=b"1")["VersionId"]
    s3.put_object(Bucket=bucket, Key="b", Body=b"2")

    # Deleting a version for good: its id, no delete-marker header.
    gone = s3.delete_object(Bucket=bucket, Key="a", VersionId=v1)
    assert gone["VersionId"] == v1 and "DeleteMarker" not in gone
    assert "x-amz-delete-marker" not in gone["ResponseMetadata"]["HTTPHeaders"]

    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b"}]})
    [entry] = result["Deleted"]
    assert entry["Key"] == "b" and entry["DeleteMarker"] is True and "VersionId" not in entry
    marker = entry["DeleteMarkerVersionId"]

    # Removing the marker itself: the marker's id as both VersionId and DeleteMarkerVersionId.
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b", "VersionId": marker}]})
    [entry] = result["Deleted"]
    assert entry["VersionId"] == marker and entry["DeleteMarker"] is True and entry["DeleteMarkerVersionId"] == marker
    assert s3.get_object(Bucket=bucket, Key="b")["Body"].read() == b"2"

    removed = s3.delete_object(Bucket=bucket, Key="b", VersionId=s3.delete_object(Bucket=bucket, Key="b")["VersionId"])
    assert removed["DeleteMarker"] is True
    assert removed["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"] == "true"


def versions_page(s3, bucket, **kwargs):
    page = s3.list_object_versions(Bucket=bucket, **kwargs)
    entries = [(v["Key"], v["VersionId"], v["IsLatest"]) for v in page.get("Versions", [])]
    entries += [(m["Key"], m["VersionId"], m["IsLatest"]) for m in page.get("DeleteMarkers", [])]
    return page, entries


def test_list_object_versions_pages_every_version_once(s3, bucket):
    expected = []
    for index in range(25):
        key = f"k{index % 7:02d}"
        if index % 5 == 4:
            expected.append((key, s3.delete_object(Bucket=bucket, Key=key)["VersionId"]))
        else:
            expected.append((key, s3.put_object(Bucket=bucket, Key=key, Body=bytes([index]))["VersionId"]))

    seen, latest, pages, markers = [], 0, 0, {}
    while True:
        page, entries = versions_page(s3, bucket, MaxKeys=4, **markers)
        pages += 1
        assert len(entries) <= 4 and page["MaxKeys"] == 4
        seen += [(key, version) for key, version, _ in entries]
        latest += sum(1 for entry in entries if entry[2])
        if not page["IsTruncated"]:
            assert "NextKeyMarker" not in page and "NextVersionIdMarker" not in page
            break
        # The next markers name the last version returned.
        newest_first = {key: [v for k, v in reversed(expected) if k == key] for key, _ in expected}
        last = max(entries, key=lambda entry: (entry[0], newest_first[entry[0]].index(entry[1])))
        assert (page["NextKeyMarker"], page["NextVersionIdMarker"]) == last[:2]
        markers = {"KeyMarker": page["NextKeyMarker"], "VersionIdMarker": page["NextVersionIdMarker"]}
    assert sorted(seen) == sorted(expected) and len(set(seen)) == 25
    assert latest == 7 and pages == 7

    # boto3's paginator walks the same pages.
    paginator = s3.get_paginator("list_object_versions")
    walked = []
    for page in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 4}):
        walked += [(v["Key"], v["VersionId"]) for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
    assert sorted(walked) == sorted(expected)


def test_list_object_versions_markers_prefix_and_delimiter(s3, bucket):
    for key in ["a", "d/x", "d/y", "e"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"1")
        s3.put_object(Bucket=bucket, Key=key, Body=b"2")

    page, entries = versions_page(s3, bucket, Delimiter="/", MaxKeys=3)
    assert [key for key, _, _ in entries] == ["a", "a"]
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["d/"]
    assert page["IsTruncated"] is True and page["NextKeyMarker"] == "d/"
    page, entries = versions_page(s3, bucket, Delimiter="/", MaxKeys=3, KeyMarker="d/")
    assert [key for key, _, _ in entries] == ["e", "e"] and "CommonPrefixes" not in page
    assert page["IsTruncated"] is False

    page, entries = versions_page(s3, bucket, Prefix="d/", MaxKeys=3)
    assert [key for key, _, _ in entries] == ["d/x", "d/x", "d/y"] and page["IsTruncated"] is True
    page, entries = versions_page(s3, bucket, Prefix="d/", KeyMarker=page["NextKeyMarker"], VersionIdMarker=page["NextVersionIdMarker"])
    assert [(key, latest) for key, _, latest in entries] == [("d/y", False)]

    # A key marker alone skips all of that key's versions.
    _, entries = versions_page(s3, bucket, KeyMarker="d/y")
    assert [key for key, _, _ in entries] == ["e", "e"]

    status, code, _ = failure(s3.list_object_versions, Bucket=bucket, VersionIdMarker="abc")
    assert (status, code) == (400, "InvalidArgument")
