"""Lesson media uploads in the studio: who may, what is taken (sniffed), limits, removal, the record."""

import io
import re
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from courseware.content.models import Course, Lesson
from courseware.extensions import db
from courseware.studio.models import MediaUpload
from courseware.studio.uploads import sniff
from tests.studio.helpers import assert_visitors_sign_in_and_members_get_403, reload
from tests.studio.test_editor import edit_url

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 100
VTT = "WEBVTT\n\n00:00.000 --> 00:03.000\nHello, teachers.\n\n00:03.000 --> 00:06.000\nSecond cue.\n"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MEDIA_CAPTIONS_MAX_BYTES": 4096}


@pytest.fixture
def lesson(make, course):
    return make.lessons(course)[0]


def media_url(course, lesson, kind: str = "", action: str = "") -> str:
    return "/".join(
        part for part in (f"/studio/courses/{course.slug}/lessons/{lesson.id}/media", kind, action) if part
    )


def upload(client, course, lesson, kind, content: bytes, name: str, xhr: bool = False, **fields):
    data = {"file": (io.BytesIO(content), name), **fields}
    headers = {"Accept": "application/json"} if xhr else {}
    url = media_url(course, lesson, kind)
    response = client.post(url, data=data, headers=headers, content_type="multipart/form-data")
    # The test client encodes a body above 500 kB into a temporary file that it closes only when it
    # follows redirects itself.
    response.request.input_stream.close()
    return response


def uploads_of(app, lesson) -> list[MediaUpload]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(MediaUpload).where(MediaUpload.lesson_id == lesson.id).order_by(MediaUpload.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


# Who may.


def test_visitors_are_sent_to_sign_in_and_members_get_403_on_every_route(client, make, login, course, lesson):
    routes = [
        ("GET", media_url(course, lesson)),
        ("POST", media_url(course, lesson, "video")),
        ("POST", media_url(course, lesson, "download", "remove")),
    ]
    assert_visitors_sign_in_and_members_get_403(client, login, make.user(), routes)
    assert upload(client, course, lesson, "video", MP4, "a.mp4", duration_seconds="60").status_code == 403
    assert uploads_of(client.application, lesson) == []


def test_unknown_kinds_lessons_and_courses_are_404(client, author, course, lesson, make):
    other = make.lessons(make.course())[0]
    assert client.post(media_url(course, lesson, "script"), data={}).status_code == 404
    assert client.get(media_url(course, other)).status_code == 404
    assert client.get(f"/studio/courses/nope/lessons/{lesson.id}/media").status_code == 404


def test_an_upload_without_the_csrf_token_is_refused(client, author, course, lesson):
    data = {"file": (io.BytesIO(MP4), "a.mp4"), "duration_seconds": "60"}
    response = client.post(media_url(course, lesson, "video"), data=data, csrf=False)
    assert response.status_code == 400 and "The form expired" in response.get_data(as_text=True)
    assert uploads_of(client.application, lesson) == []


# Uploading.


def test_a_video_goes_live_at_once_stored_under_a_random_name_and_recorded(
    app, client, author, course, lesson
):
    response = upload(
        client, course, lesson, "video", MP4, "Classroom tour.mp4", duration_seconds="95", back="editor"
    )

    assert response.status_code == 302 and response.location.endswith(f"{edit_url(course, lesson)}#media")
    [record] = uploads_of(app, lesson)
    row = reload(app, Lesson, lesson.id)
    assert row.video_path == record.stored_name and row.duration_seconds == 95
    # A random folder of its own, under the uploaded name made plain: nothing else typed reaches the disk.
    assert re.fullmatch(r"media/[A-Za-z0-9_-]{22}/classroom-tour\.mp4", record.stored_name)
    assert record.original_name == "Classroom tour.mp4" and record.content_type == "video/mp4"
    assert record.size_bytes == len(MP4) and len(record.sha256) == 64 and record.uploaded_by_id == author.id
    stored = Path(app.config["MEDIA_DIR"]) / str(course.id) / record.stored_name
    assert stored.read_bytes() == MP4
    assert stored.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH) == 0
    assert not any((Path(app.config["MEDIA_DIR"]) / ".incoming").iterdir())  # no temporary file left
    # The course's kept video total follows (3 lessons of 60 s, one now 95 s), and its caches reload.
    updated = reload(app, Course, course.id)
    assert updated.video_seconds == 60 + 60 + 95 and updated.revision == course.revision + 1
    page = client.get(edit_url(course, lesson)).get_data(as_text=True)
    assert "Classroom tour.mp4" in page and "95 seconds" in page and "Replace video" in page


def test_replacing_the_video_marks_the_old_upload_removed(app, client, author, course, lesson):
    upload(client, course, lesson, "video", MP4, "first.mp4", duration_seconds="60")
    upload(client, course, lesson, "video", WEBM, "second.webm", duration_seconds="61")

    first, second = uploads_of(app, lesson)
    assert first.removed_at is not None and first.removed_by_id == author.id
    assert second.removed_at is None and second.content_type == "video/webm"
    assert reload(app, Lesson, lesson.id).video_path == second.stored_name


def test_the_type_comes_from_the_content_not_the_name(app, client, author, course, lesson):
    response = upload(
        client, course, lesson, "video", b"<script>alert(1)</script>" * 10, "movie.mp4", duration_seconds="60"
    )
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert 'id="video-file-error"' in html and "This file is not a MP4 video or WebM video" in html
    assert 'aria-invalid="true"' in html and 'value="60"' in html  # what was typed stays
    # A PDF named like a video is a PDF.
    response = upload(client, course, lesson, "video", PDF, "movie.mp4", duration_seconds="60", xhr=True)
    assert response.status_code == 400 and response.json["field"] == "video-file"
    assert "it looks like a PDF" in response.json["message"]
    assert uploads_of(app, lesson) == [] and reload(app, Lesson, lesson.id).video_path == "media/lesson-1.mp4"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (MP4, "mp4"),
        (WEBM, "webm"),
        (b"\xef\xbb\xbfWEBVTT\n", "vtt"),
        (b"WEBVTT - title\n", "vtt"),
        (PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0..JFIF", "jpg"),
        (b"WEBVTTX", None),
        (b"\x1a\x45\xdf\xa3matroska", None),
        (b"MZ\x90\x00", None),
        (b"", None),
    ],
)
def test_sniffing_reads_the_signature(head, expected):
    found = sniff(head)
    assert (found.ext if found else None) == expected


def test_a_video_needs_its_length_when_the_server_cannot_read_it(
    app, client, author, course, lesson, monkeypatch
):
    monkeypatch.setattr("courseware.studio.uploads.shutil.which", lambda name: None)
    response = upload(client, course, lesson, "video", MP4, "a.mp4", duration_seconds="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="video-duration-error"' in html
    assert "Enter the video&#39;s length in seconds (ffprobe is not installed to read it)." in html
    response = upload(client, course, lesson, "video", MP4, "a.mp4", duration_seconds="ninety", xhr=True)
    assert response.status_code == 400 and response.json["field"] == "video-duration"
    assert uploads_of(app, lesson) == []


def test_ffprobe_proposes_the_length_when_installed(app, client, author, course, lesson, monkeypatch):
    monkeypatch.setattr("courseware.studio.uploads.shutil.which", lambda name: "/usr/bin/ffprobe")
    monkeypatch.setattr("courseware.studio.uploads.probe_duration", lambda ffprobe, path: 41.6)
    assert upload(client, course, lesson, "video", MP4, "a.mp4").status_code == 302
    assert reload(app, Lesson, lesson.id).duration_seconds == 42


def test_captions_are_checked_by_the_parser_and_become_the_transcript(app, client, author, course, lesson):
    broken = "WEBVTT\n\n00:00.000 --> soon\nNo end time.\n"
    response = upload(client, course, lesson, "captions", broken.encode(), "c.vtt", xhr=True)
    assert response.status_code == 400 and response.json["message"].startswith(
        "The captions do not parse: line 3"
    )

    response = upload(client, course, lesson, "captions", VTT.encode(), "captions.vtt", xhr=True)
    assert response.status_code == 200 and response.json["redirect"].endswith(media_url(course, lesson))
    row = reload(app, Lesson, lesson.id)
    assert row.captions_path.endswith(".vtt") and row.transcript[0] == [0.0, 3.0, "Hello, teachers."]
    assert "Second cue." in row.transcript_html


def test_captions_need_a_video(app, client, author, make):
    reading = make.lessons(make.course(video=False))[0]
    course = reload(app, Course, reading.course_id)
    response = upload(client, course, reading, "captions", VTT.encode(), "c.vtt", xhr=True)
    assert response.status_code == 400 and "Upload the video first" in response.json["message"]


def test_a_body_over_the_kinds_limit_gets_413_with_the_limit(app, client, author, course, lesson):
    too_big = b"WEBVTT\n\n" + b"x" * 80_000  # the test limit for captions is 4 kB (+ room for the form)
    response = upload(client, course, lesson, "captions", too_big, "c.vtt", xhr=True)
    assert (
        response.status_code == 413
        and response.json["message"] == "The captions file is too large: at most 4 kB."
    )
    page = upload(client, course, lesson, "captions", too_big, "c.vtt")
    assert page.status_code == 413 and "at most 4 kB" in page.get_data(as_text=True)
    # Just over the file limit, within the room left for the form: refused all the same.
    response = upload(client, course, lesson, "captions", b"WEBVTT\n\n" + b"x" * 4200, "c.vtt", xhr=True)
    assert response.status_code == 413
    assert uploads_of(app, lesson) == []


def test_empty_and_missing_files_are_refused_by_the_field(client, author, course, lesson):
    response = upload(client, course, lesson, "download", b"", "empty.pdf", xhr=True)
    assert response.status_code == 400 and "was empty" in response.json["message"]
    response = client.post(
        media_url(course, lesson, "download"), data={}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400 and response.json["message"] == "Choose a file to upload."


def test_downloads_are_added_and_removed(app, client, author, course, lesson):
    upload(client, course, lesson, "download", PDF, "Handout.pdf")
    upload(client, course, lesson, "download", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "chart.PNG")
    handout, chart = uploads_of(app, lesson)
    assert reload(app, Lesson, lesson.id).downloads == [handout.stored_name, chart.stored_name]
    assert chart.content_type == "image/png"

    response = client.post(
        media_url(course, lesson, "download", "remove"), data={"path": handout.stored_name}
    )
    assert response.status_code == 302
    assert reload(app, Lesson, lesson.id).downloads == [chart.stored_name]
    assert uploads_of(app, lesson)[0].removed_at is not None
    history = client.get(media_url(course, lesson)).get_data(as_text=True)
    assert history.count("On the lesson") == 1 and history.count("Removed December") == 1
    # Removing it again (another tab) says why nothing happened.
    again = client.post(media_url(course, lesson, "download", "remove"), data={"path": handout.stored_name})
    assert again.status_code == 409 and "no longer on the lesson" in again.get_data(as_text=True)


def test_removing_the_video_makes_a_reading_lesson(app, client, author, course, lesson):
    upload(client, course, lesson, "captions", VTT.encode(), "c.vtt")
    response = client.post(media_url(course, lesson, "video", "remove"), data={"path": "media/lesson-1.mp4"})
    assert response.status_code == 302
    row = reload(app, Lesson, lesson.id)
    assert row.video_path is None and row.duration_seconds is None
    assert row.captions_path is None and row.transcript == []
    assert uploads_of(app, lesson)[0].removed_at is not None  # the captions went with the video
    assert reload(app, Course, course.id).video_seconds == 120


def test_media_stay_live_beside_a_pending_draft(app, client, author, course, lesson):
    """Media are not part of the draft: a pending draft of the text does not hold a new video back."""
    from tests.studio.test_editor import save

    assert save(client, course, lesson, body="Draft text.").status_code == 302
    upload(client, course, lesson, "video", MP4, "new.mp4", duration_seconds="70")
    row = reload(app, Lesson, lesson.id)
    assert row.video_path.startswith("media/") and row.video_path != "media/lesson-1.mp4"
    assert row.body_md != "Draft text."  # the text's draft is still a draft
    # The editor's form stays valid: saving the draft again is not a conflict.
    assert save(client, course, lesson, body="Draft text, again.").status_code == 302
    # The draft still gives the old video's length: the editor says so before it is published.
    page = client.get(edit_url(course, lesson)).get_data(as_text=True)
    assert "The unpublished draft gives the video's length as 60" in page and "70 seconds long" in page


def test_the_media_page_lists_every_upload_in_constant_statements(
    app, client, author, course, lesson, queries
):
    for number in range(3):
        upload(client, course, lesson, "download", PDF, f"handout-{number}.pdf")
    with queries() as few:
        client.get(media_url(course, lesson))
    for number in range(3, 8):
        upload(client, course, lesson, "download", PDF, f"handout-{number}.pdf")
    with queries() as statements:
        page = client.get(media_url(course, lesson))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(statements) == len(few) and len(statements) <= 8
    assert all(f"handout-{number}.pdf" in html for number in range(8))
    assert "Jennifer Huff" in html and 'enctype="multipart/form-data"' in html and "<progress" in html


def test_a_file_of_several_megabytes_passes_through_the_parser(app, client, author, course, lesson):
    handout = PDF + b"0" * (3 * 1024 * 1024)  # many of the parser's 64 kB reads
    assert upload(client, course, lesson, "download", handout, "big.pdf").status_code == 302
    assert uploads_of(app, lesson)[0].size_bytes == len(handout)
