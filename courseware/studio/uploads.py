"""Lesson media uploaded in the studio: what a file is (from its bytes), attaching it, removing it.

    sent = attach(store, course, lesson, MediaKind.VIDEO, incoming, "intro.mp4", author_id, now, 95)
    remove(course, lesson, MediaKind.DOWNLOAD, "media/handout.pdf", author_id, now)
    db.session.commit()                                          # the view commits

Media go live at once, like replacing a file in the course folder: a lesson's video, captions and
downloads are files beside its text, not part of the text's draft (LessonRevision keeps text and
settings only), and a replaced video must reach learners without republishing the lesson. What
changed, by whom and when stays in media_uploads (a removed or replaced upload keeps its row, with
removed_at). Services only flush.
"""

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from courseware.content.media import probe_duration
from courseware.content.models import Course, Lesson, Status
from courseware.content.vtt import VttError, parse_vtt
from courseware.extensions import db
from courseware.formatting import transcript_html
from courseware.storage import IncomingFile, MediaStore
from courseware.studio.models import MediaKind, MediaUpload

MAX_DOWNLOADS = 20
MAX_DURATION_SECONDS = 24 * 3600


@dataclass(frozen=True)
class FileType:
    ext: str
    content_type: str
    label: str


MP4 = FileType("mp4", "video/mp4", "MP4 video")
WEBM = FileType("webm", "video/webm", "WebM video")
VTT = FileType("vtt", "text/vtt", "WebVTT captions")
PDF = FileType("pdf", "application/pdf", "PDF")
PNG = FileType("png", "image/png", "PNG image")
JPEG = FileType("jpg", "image/jpeg", "JPEG image")

ACCEPTED = {
    MediaKind.VIDEO: (MP4, WEBM),
    MediaKind.CAPTIONS: (VTT,),
    MediaKind.DOWNLOAD: (PDF, PNG, JPEG),
}
CONTENT_TYPES = {kind.ext: kind.content_type for kinds in ACCEPTED.values() for kind in kinds}


class UploadRefused(Exception):
    """Why a file was not taken; `field` is the form field to show it by ("file" or "duration")."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.field = field


def sniff(head: bytes) -> FileType | None:
    """The file's type from its first bytes; the name and the browser's content type are not asked."""
    if head[4:8] == b"ftyp":  # an ISO media file: its first box is `ftyp`
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:  # EBML with the webm doctype
        return WEBM
    text = head.removeprefix(b"\xef\xbb\xbf")
    if text.startswith(b"WEBVTT") and text[6:7] in (b"", b" ", b"\t", b"\n", b"\r"):
        return VTT
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


@dataclass
class LessonMedia:
    """A lesson's files as the studio shows them: names from the uploads, the history newest first."""

    lesson: Lesson
    uploads: list[MediaUpload] = field(default_factory=list)

    def on_lesson(self, upload: MediaUpload) -> bool:
        """Named by the lesson now (a sync from the course files may have replaced it meanwhile)."""
        lesson = self.lesson
        return upload.stored_name in (lesson.video_path, lesson.captions_path, *(lesson.downloads or []))

    def label(self, path: str) -> str:
        """The name the author knows a file by: the uploaded file's own name, or the course file's."""
        upload = next((row for row in self.uploads if row.stored_name == path), None)
        return upload.original_name if upload else path.rsplit("/", 1)[-1]


def lesson_media(lesson: Lesson) -> LessonMedia:
    """One statement: the lesson's uploads with their uploaders."""
    rows = db.session.scalars(
        sa.select(MediaUpload)
        .options(joinedload(MediaUpload.uploaded_by))
        .where(MediaUpload.lesson_id == lesson.id)
        .order_by(MediaUpload.created_at.desc(), MediaUpload.id.desc())
    ).all()
    return LessonMedia(lesson, list(rows))


def attach(
    store: MediaStore,
    course: Course,
    lesson: Lesson,
    kind: MediaKind,
    incoming: IncomingFile,
    original_name: str,
    author_id: int,
    now: datetime,
    duration: int | None = None,
) -> MediaUpload:
    """Check the file, keep it and put it on the lesson (replacing its video or captions)."""
    file_type = _check_type(kind, incoming)
    transcript = _captions(lesson, incoming) if kind == MediaKind.CAPTIONS else None
    if kind == MediaKind.VIDEO:
        duration = _video_length(Path(incoming.name), duration)
    if kind == MediaKind.DOWNLOAD and len(lesson.downloads or []) >= MAX_DOWNLOADS:
        raise UploadRefused(f"A lesson has at most {MAX_DOWNLOADS} downloads: remove one first.")
    shown_name = _plain_name(original_name, file_type)
    stored = store.keep(course.id, incoming, shown_name, file_type.ext, file_type.content_type)
    upload = MediaUpload(
        course_id=course.id, lesson_id=lesson.id, kind=kind, uploaded_by_id=author_id, created_at=now,
        original_name=shown_name, stored_name=stored, size_bytes=incoming.size,
        sha256=incoming.sha256, content_type=file_type.content_type,
    )
    db.session.add(upload)
    old_duration = lesson.duration_seconds
    if kind == MediaKind.VIDEO:
        _retire(course, [lesson.video_path], author_id, now)
        lesson.video_path, lesson.duration_seconds = stored, duration
    elif kind == MediaKind.CAPTIONS:
        _retire(course, [lesson.captions_path], author_id, now)
        lesson.captions_path = stored
        lesson.transcript, lesson.transcript_html = transcript, transcript_html(transcript)
    else:
        lesson.downloads = [*(lesson.downloads or []), stored]
    _changed(course, lesson, old_duration, now)
    return upload


def remove(course: Course, lesson: Lesson, kind: MediaKind, path: str, author_id: int, now: datetime) -> None:
    """Take a file off the lesson; a video takes its captions and its length with it."""
    old_duration = lesson.duration_seconds
    if kind == MediaKind.VIDEO and path and path == lesson.video_path:
        _retire(course, [path, lesson.captions_path], author_id, now)
        lesson.video_path = lesson.duration_seconds = None
        _drop_captions(lesson)
    elif kind == MediaKind.CAPTIONS and path and path == lesson.captions_path:
        _retire(course, [path], author_id, now)
        _drop_captions(lesson)
    elif kind == MediaKind.DOWNLOAD and path in (lesson.downloads or []):
        _retire(course, [path], author_id, now)
        lesson.downloads = [name for name in lesson.downloads if name != path]
    else:
        raise UploadRefused("This file is no longer on the lesson: someone removed or replaced it already.")
    _changed(course, lesson, old_duration, now)


def _check_type(kind: MediaKind, incoming: IncomingFile) -> FileType:
    if incoming.size == 0:
        raise UploadRefused("Choose a file to upload: the file sent was empty.")
    found = sniff(incoming.head)
    accepted = ACCEPTED[kind]
    if found in accepted:
        return found
    wanted = " or ".join(file_type.label for file_type in accepted)
    seen = f"it looks like a {found.label}" if found else "its content is not a type we accept"
    raise UploadRefused(f"This file is not a {wanted}: {seen}. We go by the content, not the name.")


def _captions(lesson: Lesson, incoming: IncomingFile) -> list:
    if lesson.video_path is None:
        raise UploadRefused("Upload the video first: captions belong to a video.")
    incoming.seek(0)
    try:
        return parse_vtt(incoming.read().decode("utf-8"))
    except UnicodeDecodeError:
        raise UploadRefused("The captions are not UTF-8 text: save them as UTF-8 and upload again.") from None
    except VttError as error:
        raise UploadRefused(f"The captions do not parse: line {error.line}: {error}.") from None


def _video_length(path: Path, typed: int | None) -> int:
    """What the author typed, else what ffprobe reads; a video lesson always has a length."""
    if typed is not None:
        return typed
    ffprobe = shutil.which("ffprobe")
    seconds = probe_duration(ffprobe, path) if ffprobe else None
    if seconds is None or not 0 < seconds <= MAX_DURATION_SECONDS:
        reason = "we could not read it from the file" if ffprobe else "ffprobe is not installed to read it"
        raise UploadRefused(f"Enter the video's length in seconds ({reason}).", field="duration")
    return max(1, round(seconds))


def _retire(course: Course, paths: list[str | None], author_id: int, now: datetime) -> None:
    """Uploads taken off the lesson keep their row, marked with who removed them and when."""
    names = [path for path in paths if path]
    if names:
        db.session.execute(
            sa.update(MediaUpload)
            .where(MediaUpload.course_id == course.id, MediaUpload.stored_name.in_(names))
            .where(MediaUpload.removed_at.is_(None))
            .values(removed_at=now, removed_by_id=author_id)
            .execution_options(synchronize_session=False)
        )


def _drop_captions(lesson: Lesson) -> None:
    lesson.captions_path = None
    lesson.transcript, lesson.transcript_html = [], ""


def _changed(course: Course, lesson: Lesson, old_duration: int | None, now: datetime) -> None:
    """The course's kept video total, and a new revision so every worker's cached structure reloads."""
    if lesson.status == Status.PUBLISHED and lesson.retired_at is None:
        course.video_seconds += (lesson.duration_seconds or 0) - (old_duration or 0)
    course.revision += 1
    course.updated_at = now
    db.session.flush()


def _plain_name(name: str, file_type: FileType) -> str:
    """The uploaded file's name, for people only (lists, the download's suggested name)."""
    base = Path(name.replace("\\", "/")).name.strip()[:200] or "file"
    suffixes = (".jpg", ".jpeg") if file_type is JPEG else (f".{file_type.ext}",)
    return base if base.lower().endswith(suffixes) else f"{base}.{file_type.ext}"
