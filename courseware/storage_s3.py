"""Lesson media in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, ...): MEDIA_S3_BUCKET set.

The same calls as the local store (courseware/storage.py). An upload still streams into a local
temporary file first (sniffed, hashed and counted there), then boto3's managed transfer sends it
from that file (multipart above 8 MB, never read into memory) and the temporary file goes. The
object's key is MEDIA_S3_PREFIX + "<course id>/" + the stored name, and its sha256 rides along as
metadata so `flask courses export` can tell whether a copy it holds is current without downloading.

Serving answers with a redirect to a short-lived presigned GET: the bucket then answers the range
requests of video seeking itself, and the app never relays a video's bytes. Captions are the
exception: a <track> from another origin needs CORS on the bucket, so the app relays them (they
are small: MEDIA_CAPTIONS_MAX_BYTES).
"""

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlsplit

import boto3
from boto3.exceptions import S3UploadFailedError
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask, Response, redirect
from werkzeug.http import dump_options_header

from courseware.storage import STORED_NAME, IncomingFile, LocalMediaStore, StoreUnavailable, new_stored_name

_FAILURES = (BotoCoreError, ClientError, S3UploadFailedError)
_MISSING = {"404", "NoSuchKey", "NotFound"}
_RELAYED_TYPES = {"text/vtt"}


@dataclass(frozen=True)
class S3Settings:
    bucket: str
    endpoint_url: str | None
    region: str
    prefix: str
    url_seconds: int
    access_key_id: str | None
    secret_access_key: str | None

    @classmethod
    def from_config(cls, config) -> "S3Settings":
        return cls(
            bucket=str(config["MEDIA_S3_BUCKET"]),
            endpoint_url=config.get("MEDIA_S3_ENDPOINT_URL") or None,
            region=config.get("MEDIA_S3_REGION") or "us-east-1",
            prefix=config.get("MEDIA_S3_PREFIX") or "",
            url_seconds=int(config.get("MEDIA_S3_URL_SECONDS") or 300),
            access_key_id=config.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            secret_access_key=config.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
        )

    @property
    def endpoint(self) -> str:
        # AWS's regional endpoint named outright, so presigned URLs have one known origin (the CSP's).
        return self.endpoint_url or f"https://s3.{self.region}.amazonaws.com"

    @property
    def origin(self) -> str:
        """Where presigned URLs point: the endpoint (path-style), or the bucket's own AWS host."""
        if self.endpoint_url is None:
            return f"https://{self.bucket}.s3.{self.region}.amazonaws.com"
        parts = urlsplit(self.endpoint_url)
        return f"{parts.scheme}://{parts.netloc}"

    def client(self):
        config = Config(
            signature_version="s3v4",
            # Other stores (MinIO, R2) are reached path-style: their endpoint is one host for all buckets.
            s3={"addressing_style": "path" if self.endpoint_url else "virtual"},
            # Checksums only where S3 requires them: not every S3-compatible store accepts the newer ones.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            # A store that is away fails the request in seconds, with a reason, not after minutes.
            connect_timeout=5,
            retries={"mode": "standard", "max_attempts": 3},
        )
        session = boto3.session.Session(
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            region_name=self.region,
        )
        return session.client("s3", endpoint_url=self.endpoint, config=config)


class S3MediaStore:
    def __init__(self, settings: S3Settings, client, incoming_folder: LocalMediaStore) -> None:
        self.settings, self.client, self._local = settings, client, incoming_folder

    @classmethod
    def for_app(cls, app: Flask) -> "S3MediaStore":
        """One client per app (boto3 clients are thread-safe and slow to make), made on first use."""
        settings = S3Settings.from_config(app.config)
        client = app.extensions.get("media_s3_client")
        if client is None:
            client = app.extensions.setdefault("media_s3_client", settings.client())
        return cls(settings, client, LocalMediaStore(Path(app.config["MEDIA_DIR"])))

    def incoming(self) -> IncomingFile:
        return self._local.incoming()

    def keep(
        self, course_id: int, incoming: IncomingFile, shown_name: str, ext: str, content_type: str
    ) -> str:
        name = new_stored_name(shown_name, ext)
        incoming.flush()
        extra = {"ContentType": content_type, "Metadata": {"sha256": incoming.sha256}}
        try:
            self.client.upload_file(
                incoming.name, self.settings.bucket, self.key(course_id, name), ExtraArgs=extra
            )
        except _FAILURES as error:
            raise StoreUnavailable(f"the media store did not take the file ({_reason(error)})") from error
        incoming.close()  # the bucket holds the file now; the temporary copy goes at once
        return name

    def serve(
        self, course_id: int, name: str, mimetype: str, download_name: str | None = None
    ) -> Response | None:
        if not STORED_NAME.match(name):
            return None
        if mimetype in _RELAYED_TYPES:
            return self._relay(course_id, name, mimetype)
        params = {
            "Bucket": self.settings.bucket,
            "Key": self.key(course_id, name),
            "ResponseContentType": mimetype,
        }
        if download_name is not None:
            params["ResponseContentDisposition"] = attachment(download_name)
        try:
            url = self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=self.settings.url_seconds
            )
        except _FAILURES as error:
            raise StoreUnavailable(_reason(error)) from error
        response = redirect(url, 302)
        # The URL is this person's short-lived pass: no cache, shared or private, may hand it on.
        response.headers["Cache-Control"] = "private, no-store"
        return response

    def digest(self, course_id: int, name: str) -> str | None:
        """The object's sha256 from its metadata ("" if it has none), or None if there is no object."""
        if not STORED_NAME.match(name):
            return None
        try:
            head = self.client.head_object(Bucket=self.settings.bucket, Key=self.key(course_id, name))
        except ClientError as error:
            if _missing(error):
                return None
            raise StoreUnavailable(_reason(error)) from error
        except BotoCoreError as error:
            raise StoreUnavailable(_reason(error)) from error
        return head.get("Metadata", {}).get("sha256", "")

    def write_to(self, course_id: int, name: str, out: BinaryIO) -> None:
        try:
            self.client.download_fileobj(self.settings.bucket, self.key(course_id, name), out)
        except _FAILURES as error:
            raise StoreUnavailable(_reason(error)) from error

    def key(self, course_id: int, name: str) -> str:
        return f"{self.settings.prefix}{course_id}/{name}"

    def _relay(self, course_id: int, name: str, mimetype: str) -> Response | None:
        try:
            found = self.client.get_object(Bucket=self.settings.bucket, Key=self.key(course_id, name))
            with found["Body"] as body:
                data = body.read()
        except ClientError as error:
            if _missing(error):
                return None
            raise StoreUnavailable(_reason(error)) from error
        except _FAILURES as error:
            raise StoreUnavailable(_reason(error)) from error
        response = Response(data, mimetype=mimetype)
        response.headers["Cache-Control"] = "private, no-store"
        return response


def attachment(download_name: str) -> str:
    """Content-Disposition for a download, as Flask's send_file writes it (an ASCII name and a UTF-8 one)."""
    try:
        download_name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", download_name).encode("ascii", "ignore").decode("ascii")
        quoted = quote(download_name, safe="!#$&+^`|")
        return dump_options_header("attachment", {"filename": simple, "filename*": f"UTF-8''{quoted}"})
    return dump_options_header("attachment", {"filename": download_name})


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in _MISSING


def _reason(error: Exception) -> str:
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code") or "refused"
    return type(error).__name__
