"""S3 multipart uploads (boto3's transfer manager and the low-level API), presigned URLs
fetched with urllib, and the AWS CLI's `s3` commands."""
import hashlib
import os
import urllib.error
import urllib.request
import uuid

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

MiB = 1024 * 1024


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def bucket(s3):
    name = f"t-{uuid.uuid4().hex[:16]}"
    s3.create_bucket(Bucket=name)
    return name


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_transfer_manager_multipart_upload_and_download(s3, bucket, tmp_path):
    data = os.urandom(11 * MiB)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    config = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB)
    s3.upload_file(str(source), bucket, "big.bin", Config=config)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == len(data)
    digests = b"".join(hashlib.md5(data[i : i + 5 * MiB]).digest() for i in range(0, len(data), 5 * MiB))
    assert head["ETag"] == '"%s-3"' % hashlib.md5(digests).hexdigest()
    target = tmp_path / "back.bin"
    s3.download_file(bucket, "big.bin", str(target), Config=config)
    assert target.read_bytes() == data
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_multipart_validation_abort_and_listing(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="m", ContentType="text/csv")["UploadId"]
    small = s3.upload_part(Bucket=bucket, Key="m", UploadId=upload, PartNumber=1, Body=b"a" * 1024)
    last = s3.upload_part(Bucket=bucket, Key="m", UploadId=upload, PartNumber=2, Body=b"b" * 10)
    parts = s3.list_parts(Bucket=bucket, Key="m", UploadId=upload)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, 1024), (2, 10)]
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]] == [upload]
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="m", UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": small["ETag"]}, {"PartNumber": 2, "ETag": last["ETag"]}]},
        )
    assert error_code(excinfo) == "EntityTooSmall"
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="m", UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": last["ETag"]}, {"PartNumber": 1, "ETag": small["ETag"]}]},
        )
    assert error_code(excinfo) == "InvalidPartOrder"
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="m", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"00"'}]}
        )
    assert error_code(excinfo) == "InvalidPart"
    # A single small part is allowed: the last part has no minimum.
    done = s3.complete_multipart_upload(
        Bucket=bucket, Key="m", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": small["ETag"]}]}
    )
    assert done["ETag"].endswith('-1"')
    got = s3.get_object(Bucket=bucket, Key="m")
    assert got["Body"].read() == b"a" * 1024 and got["ContentType"] == "text/csv"
    aborted = s3.create_multipart_upload(Bucket=bucket, Key="gone")["UploadId"]
    s3.abort_multipart_upload(Bucket=bucket, Key="gone", UploadId=aborted)
    with pytest.raises(ClientError) as excinfo:
        s3.upload_part(Bucket=bucket, Key="gone", UploadId=aborted, PartNumber=1, Body=b"x")
    assert error_code(excinfo) == "NoSuchUpload"


def test_upload_part_copy(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"0123456789" * (600 * 1024))
    upload = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    first = s3.upload_part_copy(
        Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1, CopySource={"Bucket": bucket, "Key": "src"},
        CopySourceRange="bytes=0-5242879",
    )["CopyPartResult"]
    second = s3.upload_part_copy(
        Bucket=bucket, Key="dst", UploadId=upload, PartNumber=2, CopySource={"Bucket": bucket, "Key": "src"},
        CopySourceRange="bytes=0-9",
    )["CopyPartResult"]
    s3.complete_multipart_upload(
        Bucket=bucket, Key="dst", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": first["ETag"]}, {"PartNumber": 2, "ETag": second["ETag"]}]},
    )
    body = s3.get_object(Bucket=bucket, Key="dst")["Body"].read()
    assert len(body) == 5 * 1024 * 1024 + 10 and body.endswith(b"0123456789")


def test_presigned_get_and_put_with_urllib(s3, bucket):
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "signed.txt"}, ExpiresIn=60)
    request = urllib.request.Request(put_url, data=b"via presigned put", method="PUT")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "signed.txt"}, ExpiresIn=60)
    with urllib.request.urlopen(get_url) as response:
        assert response.read() == b"via presigned put"


def test_aws_cli_cp_ls_sync_rm(aws_cli, bucket, tmp_path):
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "one.txt").write_text("one")
    (tmp_path / "up" / "sub").mkdir()
    (tmp_path / "up" / "sub" / "two.txt").write_text("two")
    aws_cli("s3", "cp", "--only-show-errors", str(tmp_path / "up" / "one.txt"), f"s3://{bucket}/single.txt")
    aws_cli("s3", "sync", "--only-show-errors", str(tmp_path / "up"), f"s3://{bucket}/synced")
    listed = aws_cli("s3api", "list-objects-v2", "--bucket", bucket)
    assert sorted(o["Key"] for o in listed["Contents"]) == ["single.txt", "synced/one.txt", "synced/sub/two.txt"]
    aws_cli("s3", "cp", "--only-show-errors", f"s3://{bucket}/synced/sub/two.txt", str(tmp_path / "two.txt"))
    assert (tmp_path / "two.txt").read_text() == "two"
    aws_cli("s3", "rm", "--only-show-errors", f"s3://{bucket}/synced", "--recursive")
    assert [o["Key"] for o in aws_cli("s3api", "list-objects-v2", "--bucket", bucket)["Contents"]] == ["single.txt"]
