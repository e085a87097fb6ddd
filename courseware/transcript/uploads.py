"""Certificate PDFs that learners upload with a credit from elsewhere (DESIGN §8).

The type is read from the content, never from the name or the browser's word; the file is stored
under a random name with no execute bit, outside anything the web server serves.
"""

import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

PDF_SIGNATURE = b"%PDF-"
SUBFOLDER = "transcript"
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")


class UploadRejected(ValueError):
    """The upload is not a PDF we keep; the message says why, for the field's error."""


def check_pdf(stream: BinaryIO, max_bytes: int) -> None:
    """Raise UploadRejected unless the stream is a non-empty PDF of at most max_bytes."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UploadRejected("The file is empty. Choose the PDF of your certificate.")
    if size > max_bytes:
        raise UploadRejected(f"The file is larger than {size_words(max_bytes)}. Upload a smaller PDF.")
    head = stream.read(len(PDF_SIGNATURE))
    stream.seek(0)
    if head != PDF_SIGNATURE:
        raise UploadRejected("This file is not a PDF. Upload the certificate as a PDF file.")


def store_pdf(upload: FileStorage, uploads_dir: str) -> str:
    """Save the upload under a new random name; return that name."""
    folder = _folder(uploads_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    path = folder / name
    upload.save(path)  # streams to disk in chunks
    path.chmod(0o600)  # readable by the app alone, never executable
    return name


def stored_path(uploads_dir: str, name: str | None) -> Path | None:
    """The stored file's path, or None if the name is not one we made or the file is gone."""
    if not name or not _STORED_NAME.match(name):
        return None
    path = _folder(uploads_dir) / name
    return path if path.is_file() else None


def remove_stored(uploads_dir: str, name: str | None) -> None:
    path = stored_path(uploads_dir, name)
    if path is not None:
        path.unlink(missing_ok=True)


def download_name(original: str | None) -> str:
    """The learner's own file name, made safe for a Content-Disposition header; always .pdf."""
    stem = original or ""
    if stem.lower().endswith(".pdf"):
        stem = stem[: -len(".pdf")]
    return f"{secure_filename(stem) or 'certificate'}.pdf"


def clean_original_name(original: str | None) -> str | None:
    """Keep the last path part (some browsers send the full path), within the column's length."""
    if not original:
        return None
    name = re.split(r"[\\/]", original)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-255:] or None


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _folder(uploads_dir: str) -> Path:
    return Path(uploads_dir) / SUBFOLDER
