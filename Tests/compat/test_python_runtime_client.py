"""The python runtime's own Runtime API client reading responses: the shapes a server may send
(CRLF or bare LF lines, interim 1xx answers, chunked bodies, a response split across reads, a
connection that closes in the middle). No server needed: a fake socket hands out the bytes."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Runtimes", "python"))
import _nimbus_runtime as runtime  # noqa: E402


class ScriptedSocket:
    """`recv` returns the scripted pieces one by one, then b"" (end of stream)."""

    def __init__(self, pieces):
        self.pieces = list(pieces)
        self.sent = []

    def recv(self, _size):
        return self.pieces.pop(0) if self.pieces else b""

    def sendall(self, data):
        self.sent.append(data)

    def close(self):
        pass


def client_reading(*pieces):
    client = runtime.RuntimeClient("127.0.0.1:9001")
    client.sock = ScriptedSocket(pieces)
    client.reader = runtime._SocketReader(client.sock)
    return client


NEXT = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: abc\r\n"
    b"Lambda-Runtime-Deadline-Ms: 1795489334000\r\nContent-Length: 13\r\n\r\n{\"key\": \"v\"}\n"
)


def test_a_response_in_one_piece():
    status, headers, body = client_reading(NEXT)._read_response("GET")
    assert status == 200
    assert headers["lambda-runtime-aws-request-id"] == "abc"
    assert headers["lambda-runtime-deadline-ms"] == "1795489334000"
    assert body == b'{"key": "v"}\n'


@pytest.mark.parametrize("cut", [1, 5, 17, len(NEXT) - 16, len(NEXT) - 14, len(NEXT) - 1])
def test_a_response_split_across_reads(cut):
    status, headers, body = client_reading(NEXT[:cut], NEXT[cut:])._read_response("GET")
    assert (status, headers["content-type"], body) == (200, "application/json", b'{"key": "v"}\n')


def test_two_responses_in_one_read_are_read_one_after_the_other():
    accepted = b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}"
    client = client_reading(accepted + NEXT)
    assert client._read_response("POST")[0:3:2] == (202, b"{}")
    assert client._read_response("GET")[2] == b'{"key": "v"}\n'


def test_bare_lf_lines_interim_answers_and_values_with_colons():
    response = b"HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nX-Thing:  a:b:c \nContent-Length: 0\n\n"
    status, headers, body = client_reading(response)._read_response("GET")
    assert (status, headers["x-thing"], body) == (200, "a:b:c", b"")


def test_a_chunked_body():
    response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    assert client_reading(response)._read_response("GET")[2] == b"hello world"


def test_http_1_0_without_keep_alive_closes_the_connection():
    client = client_reading(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
    client._read_response("GET")
    assert client.sock is None


@pytest.mark.parametrize(
    "received, message",
    [
        (b"", "connection closed"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", "connection closed in headers"),
        (b"garbage\r\n\r\n", "bad status line"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", "connection closed in body"),
    ],
)
def test_a_broken_response_is_an_error(received, message):
    with pytest.raises(runtime.RuntimeAPIError, match=message):
        client_reading(received)._read_response("GET")
