"""An S3 store for tests: moto's server in this process on 127.0.0.1, a fresh bucket per test.

moto fakes S3 at its HTTP boundary, so boto3 in the app speaks real S3 requests to it (signed,
multipart) and a presigned URL can be fetched with a plain HTTP client, Range header and all.
The no-network guard allows it: it is this machine.
"""

import http.client
import secrets
from contextlib import contextmanager
from urllib.parse import urlsplit

import boto3
import pytest
from moto.server import ThreadedMotoServer
from werkzeug.datastructures import Headers

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


# Fixtures, made visible to the S3 tests by tests/studio/conftest.py and tests/browser/conftest.py.


@pytest.fixture(scope="module")
def endpoint():
    """One moto server per test module (it takes a second to start)."""
    with moto_server() as url:
        yield url


@pytest.fixture
def bucket(endpoint) -> str:
    return new_bucket(endpoint)


@contextmanager
def moto_server():
    """The endpoint URL of a running moto server; stopped afterwards."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str):
    return boto3.session.Session(region_name=REGION, **KEYS).client("s3", endpoint_url=endpoint)


def new_bucket(endpoint: str) -> str:
    name = f"media-{secrets.token_hex(6)}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def s3_config(endpoint: str, bucket: str) -> dict:
    """The app's settings for the store, as an operator would set them (FLASK_MEDIA_S3_...)."""
    return {
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": REGION,
        "MEDIA_S3_URL_SECONDS": 120,
        "MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
    }


def objects(endpoint: str, bucket: str) -> dict[str, dict]:
    """key -> the object (Body read into "bytes", ContentType, Metadata) for every object in the bucket."""
    client = s3_client(endpoint)
    found = {}
    for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        got = client.get_object(Bucket=bucket, Key=item["Key"])
        with got["Body"] as body:
            found[item["Key"]] = {**got, "bytes": body.read()}
    return found


def http_get(url: str, headers: dict | None = None) -> tuple[int, Headers, bytes]:
    """What a browser gets from a presigned URL: status, headers, body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}", headers=headers or {})
        response = connection.getresponse()
        return response.status, Headers(response.getheaders()), response.read()
    finally:
        connection.close()
