"""Uploaded media: streamed to disk coming in; served with ranges and the lesson's rights going out."""

import io
import tracemalloc
from pathlib import Path

import pytest

from courseware import storage
from courseware.accounts.models import Role
from courseware.content.models import Lesson
from courseware.extensions import db
from tests.studio.helpers import reload
from tests.studio.test_uploads import MP4, PDF, media_url, upload, uploads_of

BOUNDARY = "----uploadtestboundary"


@pytest.fixture
def people(make):
    return make.user(role=Role.AUTHOR), make.user()


@pytest.fixture
def course(make):
    return make.course()


@pytest.fixture
def lesson(make, course):
    return make.lessons(course)[0]


def _uploaded(client, login, people, course, lesson, kind, content, name, **fields) -> str:
    author, learner = people
    login(author)
    assert upload(client, course, lesson, kind, content, name, **fields).status_code == 302
    return uploads_of(client.application, lesson)[-1].stored_name


def _file_url(course, stored: str) -> str:
    return f"/learn/{course.slug}/media/{stored}"


def fetch(client, url: str, **kwargs):
    """GET a file, its body read and the file closed (a served file stays open until then)."""
    with client.get(url, **kwargs) as response:
        response.get_data()
    return response


# Serving.


def test_an_enrolled_learner_seeks_in_an_uploaded_video_with_ranges(
    client, login, people, course, lesson, make
):
    video = MP4 + bytes(range(256)) * 8
    stored = _uploaded(client, login, people, course, lesson, "video", video, "v.mp4", duration_seconds="60")
    make.enrolment(people[1], course)
    login(people[1])

    whole = fetch(client, _file_url(course, stored))
    assert whole.status_code == 200 and whole.data == video
    assert whole.headers["Content-Type"] == "video/mp4" and whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["X-Content-Type-Options"] == "nosniff" and "attachment" not in whole.headers.get(
        "Content-Disposition", ""
    )
    part = fetch(client, _file_url(course, stored), headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == video[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(video)}"
    past_the_end = fetch(client, _file_url(course, stored), headers={"Range": f"bytes={len(video) + 10}-"})
    assert past_the_end.status_code == 416
    assert past_the_end.headers["Content-Range"] == f"bytes */{len(video)}"


def test_downloads_are_attachments_under_their_uploaded_name(client, login, people, course, lesson, make):
    stored = _uploaded(client, login, people, course, lesson, "download", PDF, "Goal worksheet.pdf")
    make.enrolment(people[1], course)
    login(people[1])
    response = fetch(client, _file_url(course, stored))
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="Goal worksheet.pdf"'
    player = client.get(f"/learn/{course.slug}/{lesson.slug}").get_data(as_text=True)
    assert stored.endswith("/goal-worksheet.pdf") and ">goal-worksheet.pdf</a>" in player


def test_the_lessons_rights_apply_to_uploads(app, client, login, people, course, lesson, make):
    stored = _uploaded(client, login, people, course, lesson, "video", MP4, "v.mp4", duration_seconds="60")
    assert fetch(client, _file_url(course, stored)).status_code == 200  # the author
    login(people[1])  # signed in, not enrolled
    assert fetch(client, _file_url(course, stored)).status_code == 404
    with client.session_transaction() as session:
        session.clear()
    assert fetch(client, _file_url(course, stored)).status_code == 404  # a visitor
    # A free preview lesson's files are open to visitors, as course files are.
    with app.app_context():
        db.session.get(Lesson, lesson.id).preview = True
        db.session.commit()
    assert fetch(client, _file_url(course, stored)).status_code == 200
    # Another course's upload cannot be fetched through this course's address.
    other = make.course()
    assert fetch(client, _file_url(other, stored)).status_code == 404


def test_a_replaced_file_is_no_longer_served(client, login, people, course, lesson, make):
    old = _uploaded(client, login, people, course, lesson, "video", MP4, "v.mp4", duration_seconds="60")
    _uploaded(client, login, people, course, lesson, "video", MP4 + b"!", "v2.mp4", duration_seconds="60")
    make.enrolment(people[1], course)
    login(people[1])
    assert fetch(client, _file_url(course, old)).status_code == 404


def test_the_author_checks_the_media_of_a_draft_lesson(app, client, login, people, course, lesson):
    stored = _uploaded(client, login, people, course, lesson, "download", PDF, "h.pdf")
    with app.app_context():
        db.session.get(Lesson, lesson.id).status = "draft"
        db.session.commit()
    assert fetch(client, _file_url(course, stored)).status_code == 200
    assert reload(app, Lesson, lesson.id).downloads == [stored]


# Streaming in: the body never sits in memory.


class MultipartBody(io.RawIOBase):
    """A multipart body made while it is read: a video's head, then `size` bytes of zeros."""

    def __init__(self, token: str, size: int) -> None:
        fields = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (("csrf_token", token), ("duration_seconds", "600"))
        )
        file_head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
        file_head += "Content-Type: application/octet-stream\r\n\r\n"
        self._parts = [(fields + file_head).encode() + MP4, None, f"\r\n--{BOUNDARY}--\r\n".encode()]
        self._zeros = size - len(MP4)
        self.length = len(self._parts[0]) + self._zeros + len(self._parts[2])
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking to its end
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._position = offset if whence == io.SEEK_SET else self.length + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer) -> int:
        head, tail = len(self._parts[0]), len(self._parts[0]) + self._zeros
        start = self._position
        if start < head:
            chunk = self._parts[0][start : start + len(buffer)]
        elif start < tail:
            chunk = bytes(min(len(buffer), tail - start, 1 << 16))
        else:
            chunk = self._parts[2][start - tail : start - tail + len(buffer)]
        buffer[: len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)


def test_a_large_upload_streams_through_a_temporary_file_in_bounded_memory(
    app, client, login, people, course, lesson, monkeypatch
):
    size = 24 * 1024 * 1024  # far above Werkzeug's 500 kB in-memory threshold, and the global 16 MB limit
    temporary: list[str] = []
    real_init = storage.IncomingFile.__init__

    def spy(self, folder):
        real_init(self, folder)
        temporary.append(self.name)

    monkeypatch.setattr(storage.IncomingFile, "__init__", spy)
    login(people[0])
    body = MultipartBody(client.csrf_token(), size)

    tracemalloc.start()
    try:
        response = client.post(
            media_url(course, lesson, "video"),
            input_stream=body,
            content_length=body.length,
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            csrf=False,
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 302
    assert peak < 4 * 1024 * 1024, f"the upload held {peak} bytes in memory"
    [record] = uploads_of(app, lesson)
    stored = Path(app.config["MEDIA_DIR"]) / str(course.id) / record.stored_name
    assert record.size_bytes == size and stored.stat().st_size == size
    # It was written into the store's own temporary folder, then linked into place; nothing is left.
    [part] = temporary
    assert Path(part).parent == Path(app.config["MEDIA_DIR"]) / ".incoming" and not Path(part).exists()
