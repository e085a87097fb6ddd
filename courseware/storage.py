"""Where lesson media uploaded in the studio live: the instance media folder, one folder per course,
or an S3-compatible bucket when MEDIA_S3_BUCKET is set (courseware/storage_s3.py). Both stores
answer the same calls, so the studio and the media route never ask which one they have:

    store = media_store()                         # inside a request or a CLI command
    incoming = store.incoming()                   # the form parser writes the upload into this
    name = store.keep(course_id, incoming, "Week 1.mp4", "mp4", "video/mp4")  # "media/<random>/week-1.mp4"
    store.serve(course_id, name, "video/mp4")     # the response that sends it, or None if not held
    store.digest(course_id, name)                 # for `flask courses export`: its sha256, or None
    store.write_to(course_id, name, out)          # ... and its bytes, streamed into `out`

A stored file is MEDIA_DIR/<course id>/<name>, so a course's upload folder is laid out like its
course folder (`media/...`) and `flask courses export` copies from either the same way. Each file
sits in a folder of its own with a random name, under its uploaded name made plain ("Week 1 (final).pdf"
-> "week-1-final.pdf"): learners see that name on a download, and nothing else the uploader chose
reaches the file system. Nothing stored is executable.
"""

import hashlib
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Response, current_app, send_file

from courseware.formatting import slugify

# What `keep` makes; anything else asked of a store (a course file's name, "../x") is not an upload.
STORED_NAME = re.compile(r"^media/[A-Za-z0-9_-]{22}/[a-z0-9][a-z0-9-]{0,59}\.(?:mp4|webm|vtt|pdf|png|jpg)$")
STORED_MODE = 0o644  # readable by the web server; never executable
HEAD_BYTES = 64  # enough for every signature courseware/studio/uploads.py sniffs
MAX_AGE_SECONDS = 3600  # how long a browser may reuse a media file it fetched


class StoreUnavailable(Exception):
    """The media store did not answer (a bucket away or refusing): the request fails with a reason."""


class MediaStore(Protocol):
    def incoming(self) -> "IncomingFile": ...

    def keep(
        self, course_id: int, incoming: "IncomingFile", shown_name: str, ext: str, content_type: str
    ) -> str: ...

    def serve(
        self, course_id: int, name: str, mimetype: str, download_name: str | None = None
    ) -> Response | None: ...

    def digest(self, course_id: int, name: str) -> str | None: ...

    def write_to(self, course_id: int, name: str, out: BinaryIO) -> None: ...


def media_store() -> MediaStore:
    config = current_app.config
    if not config.get("MEDIA_S3_BUCKET"):
        return LocalMediaStore(Path(config["MEDIA_DIR"]))
    # Imported only when configured: boto3 takes a while to load, and a local install never needs it.
    from courseware.storage_s3 import S3MediaStore

    return S3MediaStore.for_app(current_app._get_current_object())


def media_origin(config) -> str | None:
    """The origin browsers fetch uploaded media from when it is not this site (for the CSP)."""
    if not config.get("MEDIA_S3_BUCKET"):
        return None
    from courseware.storage_s3 import S3Settings

    return S3Settings.from_config(config).origin


def new_stored_name(shown_name: str, ext: str) -> str:
    stem = slugify(Path(shown_name).stem, "file", max_length=60)
    return f"media/{secrets.token_urlsafe(16)}/{stem}.{ext}"


class LocalMediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def incoming(self) -> "IncomingFile":
        """A temporary file next to the store, so keeping it is a link, not a second copy."""
        return IncomingFile(self.root / ".incoming")

    def keep(
        self, course_id: int, incoming: "IncomingFile", shown_name: str, ext: str, content_type: str
    ) -> str:
        name = new_stored_name(shown_name, ext)
        target = self.course_folder(course_id) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        incoming.keep_as(target)
        return name

    def serve(
        self, course_id: int, name: str, mimetype: str, download_name: str | None = None
    ) -> Response | None:
        """Sent from disk with range requests (conditional=True), so video seeking works."""
        path = self.path(course_id, name)
        if path is None:
            return None
        return send_file(
            path,
            mimetype=mimetype,
            as_attachment=download_name is not None,
            download_name=download_name,
            conditional=True,
            max_age=MAX_AGE_SECONDS,
        )

    def digest(self, course_id: int, name: str) -> str | None:
        path = self.path(course_id, name)
        if path is None:
            return None
        with path.open("rb") as stored:
            return hashlib.file_digest(stored, "sha256").hexdigest()

    def write_to(self, course_id: int, name: str, out: BinaryIO) -> None:
        path = self.path(course_id, name)
        if path is None:
            raise StoreUnavailable(f"{name} is not in the media folder")
        with path.open("rb") as stored:
            shutil.copyfileobj(stored, out)  # streamed: videos can be large

    def path(self, course_id: int, name: str) -> Path | None:
        if not STORED_NAME.match(name):
            return None
        path = self.course_folder(course_id) / name
        return path if path.is_file() else None

    def course_folder(self, course_id: int) -> Path:
        return self.root / str(course_id)


class IncomingFile:
    """An upload on its way to disk: hashed, counted and its first bytes kept while it is written.

    Werkzeug's form parser writes each file part into what our stream factory returns, chunk by
    chunk; the body is never held in memory whole, and a 2 GB video is read once, not again to hash.
    The temporary file disappears when closed unless `keep_as` linked it into the store first.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.NamedTemporaryFile(dir=folder, prefix="upload-", suffix=".part")
        self._digest = hashlib.sha256()
        self.size = 0
        self.head = b""

    @property
    def name(self) -> str:
        return self._file.name

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def write(self, data: bytes) -> int:
        if len(self.head) < HEAD_BYTES:
            self.head += bytes(data[: HEAD_BYTES - len(self.head)])
        self._digest.update(data)
        self.size += len(data)
        return self._file.write(data)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    @property
    def closed(self) -> bool:
        return self._file.closed

    def keep_as(self, target: Path) -> None:
        self._file.flush()
        os.link(self._file.name, target)
        target.chmod(STORED_MODE)
