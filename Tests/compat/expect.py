"""Assertions shared by the compat tests, about what AWS clients rely on."""

from botocore.exceptions import ClientError

REQUEST_ID_HEADERS = {"x-amzn-requestid", "x-amz-request-id"}


def assert_request_id(headers):
    """Every AWS response names its request; clients log it and support asks for it."""
    keys = {k.lower() for k in headers.keys()}
    assert keys & REQUEST_ID_HEADERS, f"no x-amzn-RequestId / x-amz-request-id header in {dict(headers)}"


def error_of(raised):
    """(HTTP status, error code, message) of a boto3 ClientError, after checking its request id."""
    assert isinstance(raised, ClientError), f"expected a ClientError, got {raised!r}"
    response = raised.response
    assert_request_id(response["ResponseMetadata"]["HTTPHeaders"])
    error = response.get("Error", {})
    return response["ResponseMetadata"]["HTTPStatusCode"], error.get("Code"), error.get("Message") or ""


def code_of(call, *args, **kwargs):
    """The error code of a call that must fail."""
    try:
        call(*args, **kwargs)
    except ClientError as raised:
        return error_of(raised)[1]
    raise AssertionError(f"{getattr(call, '__name__', call)} succeeded; an error was expected")
