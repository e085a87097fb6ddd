"""Lesson media in an S3-compatible store (MEDIA_S3_BUCKET): kept in the bucket, served by redirect.

moto's S3 server runs in this process (tests/studio/s3_helpers.py); the app reaches it with boto3
over HTTP as it would reach MinIO, and the presigned URLs it hands out are fetched the same way.
"""

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from app import create_app
from courseware.accounts.models import Role
from courseware.content.models import Course, Lesson
from courseware.extensions import db
from tests.content.test_cli import DEMO_COURSES
from tests.content.test_export_roundtrip import _empty_database, _run
from tests.studio.helpers import reload
from tests.studio.s3_helpers import http_get, objects, s3_config
from tests.studio.test_uploads import MP4, PDF, VTT, upload, uploads_of
from tests.studio.test_uploads_serving import _file_url, _uploaded, fetch

PREFIX = "media-uploads/"


@pytest.fixture
def app_config(app_config, endpoint, bucket):
    """The app with its media store in a fresh bucket of the moto server (s3_helpers)."""
    return {**app_config, **s3_config(endpoint, bucket)}


@pytest.fixture
def people(make):
    return make.user(role=Role.AUTHOR), make.user()


@pytest.fixture
def lesson(make, course):
    return make.lessons(course)[0]


def _left_on_disk(tmp_path: Path) -> list[Path]:
    return [path for path in (tmp_path / "media").rglob("*") if path.is_file()]


# Keeping.


def test_an_upload_lands_in_the_bucket_under_the_course_and_leaves_nothing_on_disk(
    app, client, login, people, course, lesson, endpoint, bucket, tmp_path
):
    video = MP4 + bytes(range(256)) * 64
    stored = _uploaded(
        client, login, people, course, lesson, "video", video, "Week 1.mp4", duration_seconds="95"
    )

    [row] = uploads_of(app, lesson)
    key = f"{PREFIX}{course.id}/{stored}"
    held = objects(endpoint, bucket)
    assert list(held) == [key] and held[key]["bytes"] == video
    assert held[key]["ContentType"] == "video/mp4"
    assert held[key]["Metadata"]["sha256"] == row.sha256
    assert stored.startswith("media/") and stored.endswith("/week-1.mp4")
    assert (row.original_name, row.size_bytes, row.content_type) == ("Week 1.mp4", len(video), "video/mp4")
    saved = reload(app, Lesson, lesson.id)
    assert saved.video_path == stored and saved.duration_seconds == 95
    assert _left_on_disk(tmp_path) == []  # the temporary file went once the bucket had it


def test_an_upload_the_store_refuses_is_a_503_with_a_reason_and_no_record(
    app, client, login, people, course, lesson, endpoint, tmp_path
):
    app.config["MEDIA_S3_BUCKET"] = "no-such-bucket"
    login(people[0])
    response = upload(client, course, lesson, "video", MP4, "v.mp4", duration_seconds="60")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The media store is not answering, so the file was not kept." in page
    assert 'aria-describedby="video-file-hint video-file-error" aria-invalid="true"' in page
    assert 'value="60"' in page  # the length typed is kept
    xhr = upload(client, course, lesson, "video", MP4, "v.mp4", xhr=True, duration_seconds="60")
    assert xhr.status_code == 503 and xhr.get_json()["field"] == "video-file"
    assert uploads_of(app, lesson) == [] and reload(app, Lesson, lesson.id).video_path == lesson.video_path
    assert _left_on_disk(tmp_path) == []


# Serving.


def test_an_enrolled_learner_is_redirected_to_a_presigned_url_that_answers_ranges(
    client, login, people, course, lesson, make, endpoint, bucket
):
    video = MP4 + bytes(range(256)) * 8
    stored = _uploaded(client, login, people, course, lesson, "video", video, "v.mp4", duration_seconds="60")
    make.enrolment(people[1], course)
    login(people[1])

    response = fetch(client, _file_url(course, stored))
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "private, no-store"
    location = urlsplit(response.location)
    assert f"{location.scheme}://{location.netloc}" == endpoint
    assert location.path == f"/{bucket}/{PREFIX}{course.id}/{stored}"
    query = parse_qs(location.query)
    assert query["response-content-type"] == ["video/mp4"] and query["X-Amz-Expires"] == ["120"]
    assert "response-content-disposition" not in query  # a video plays inline

    status, headers, body = http_get(response.location, {"Range": "bytes=100-199"})
    assert status == 206 and body == video[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{len(video)}"


def test_a_member_not_enrolled_and_a_visitor_get_404_and_no_url(client, login, people, course, lesson):
    stored = _uploaded(client, login, people, course, lesson, "video", MP4, "v.mp4", duration_seconds="60")
    assert fetch(client, _file_url(course, stored)).status_code == 302  # the author checks it
    login(people[1])
    refused = fetch(client, _file_url(course, stored))
    assert refused.status_code == 404 and "Location" not in refused.headers
    assert "X-Amz-Signature" not in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        session.clear()
    assert fetch(client, _file_url(course, stored)).status_code == 404


def test_a_download_redirect_carries_the_uploaded_name_as_an_attachment(
    client, login, people, course, lesson, make
):
    stored = _uploaded(client, login, people, course, lesson, "download", PDF, "Goal worksheet.pdf")
    make.enrolment(people[1], course)
    login(people[1])
    response = fetch(client, _file_url(course, stored))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.location).query)
    assert query["response-content-disposition"] == ['attachment; filename="Goal worksheet.pdf"']
    assert query["response-content-type"] == ["application/pdf"]
    status, headers, body = http_get(response.location)
    assert status == 200 and body == PDF
    assert headers["Content-Disposition"] == 'attachment; filename="Goal worksheet.pdf"'


def test_a_download_name_beyond_ascii_reaches_the_browser_whole(client, login, people, course, lesson, make):
    stored = _uploaded(client, login, people, course, lesson, "download", PDF, "Résumé – week 1.pdf")
    make.enrolment(people[1], course)
    login(people[1])
    location = fetch(client, _file_url(course, stored)).location
    # As Flask's send_file writes it from disk: an ASCII name for old browsers, the UTF-8 one for the rest.
    utf8 = "R%C3%A9sum%C3%A9%20%E2%80%93%20week%201.pdf"
    expected = f"attachment; filename=\"Resume  week 1.pdf\"; filename*=UTF-8''{utf8}"
    assert parse_qs(urlsplit(location).query)["response-content-disposition"] == [expected]
    assert http_get(location)[1]["Content-Disposition"] == expected


def test_captions_are_relayed_from_the_bucket_so_the_player_track_stays_same_origin(
    client, login, people, course, lesson, make
):
    _uploaded(client, login, people, course, lesson, "video", MP4, "v.mp4", duration_seconds="60")
    stored = _uploaded(client, login, people, course, lesson, "captions", VTT.encode(), "v.vtt")
    make.enrolment(people[1], course)
    login(people[1])
    response = fetch(client, _file_url(course, stored))
    assert response.status_code == 200 and response.get_data(as_text=True) == VTT
    assert response.headers["Content-Type"].startswith("text/vtt")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_replacing_and_removing_work_and_the_old_file_is_no_longer_served(
    app, client, login, people, course, lesson, make, endpoint, bucket
):
    old = _uploaded(client, login, people, course, lesson, "video", MP4, "v.mp4", duration_seconds="60")
    new = _uploaded(
        client, login, people, course, lesson, "video", MP4 + b"!", "v2.mp4", duration_seconds="61"
    )
    first, second = uploads_of(app, lesson)
    assert first.removed_at is not None and second.removed_at is None
    assert reload(app, Lesson, lesson.id).video_path == new
    assert objects(endpoint, bucket)[f"{PREFIX}{course.id}/{new}"]["bytes"] == MP4 + b"!"
    make.enrolment(people[1], course)
    login(people[1])
    assert fetch(client, _file_url(course, old)).status_code == 404
    assert fetch(client, _file_url(course, new)).status_code == 302

    login(people[0])
    removed = client.post(
        f"/studio/courses/{course.slug}/lessons/{lesson.id}/media/video/remove", data={"path": new}
    )
    assert removed.status_code == 302
    assert reload(app, Lesson, lesson.id).video_path is None
    assert uploads_of(app, lesson)[-1].removed_at is not None
    login(people[1])
    assert fetch(client, _file_url(course, new)).status_code == 404


def test_a_store_that_stops_answering_is_a_503_with_a_reason_not_a_500(
    app, client, login, people, course, lesson, make
):
    _uploaded(client, login, people, course, lesson, "video", MP4, "v.mp4", duration_seconds="60")
    stored = _uploaded(client, login, people, course, lesson, "captions", VTT.encode(), "v.vtt")
    app.config["MEDIA_S3_BUCKET"] = "no-such-bucket"
    response = fetch(client, _file_url(course, stored))
    assert response.status_code == 503
    assert "The media store is not answering. Try again in a minute." in response.get_data(as_text=True)


# The CSP.


def test_the_csp_lets_media_come_from_the_store_only_when_one_is_configured(
    client, endpoint, database_url, tmp_path
):
    with_store = client.get("/static/css/app.css").headers["Content-Security-Policy"]
    assert f"media-src 'self' {endpoint};" in with_store
    assert with_store.count(endpoint) == 1  # videos only: scripts, styles, frames stay our own
    local = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "MEDIA_DIR": str(tmp_path)})
    without = local.test_client().get("/static/css/app.css").headers["Content-Security-Policy"]
    assert "media-src 'self';" in without and "127.0.0.1" not in without
    with local.app_context():
        db.engine.dispose()


def test_on_aws_the_store_is_set_from_flask_variables_and_the_csp_names_the_bucket_host(
    monkeypatch, database_url, tmp_path
):
    monkeypatch.setenv("FLASK_MEDIA_S3_BUCKET", "huff-media")
    monkeypatch.setenv("FLASK_MEDIA_S3_REGION", "eu-west-1")
    monkeypatch.setenv("FLASK_MEDIA_S3_URL_SECONDS", "600")
    aws = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "MEDIA_DIR": str(tmp_path)})
    assert aws.config["MEDIA_S3_URL_SECONDS"] == 600 and aws.config["MEDIA_S3_ENDPOINT_URL"] is None
    csp = aws.test_client().get("/static/css/app.css").headers["Content-Security-Policy"]
    assert "media-src 'self' https://huff-media.s3.eu-west-1.amazonaws.com;" in csp
    with aws.app_context():
        db.engine.dispose()


# `flask courses export` and sync.


@pytest.mark.skipif(not (DEMO_COURSES / "tips-for-collaboration").is_dir(), reason="no demo courses")
def test_export_streams_uploads_from_the_bucket_and_a_sync_reads_them_back(
    app, client, people, login, tmp_path, app_config
):
    shutil.copytree(DEMO_COURSES, Path(app_config["COURSES_DIR"]))
    _run(app, "sync")
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "tips-for-collaboration"))
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        )
        db.session.expunge_all()
    video = (DEMO_COURSES / course.slug / "media" / "tips-02-communication-rhythm.mp4").read_bytes()
    length = str(lesson.duration_seconds)
    _uploaded(client, login, people, course, lesson, "video", video, "r.mp4", duration_seconds=length)
    _uploaded(client, login, people, course, lesson, "download", PDF, "worksheet.pdf")
    uploaded = reload(app, Lesson, lesson.id)
    [handout] = [path for path in uploaded.downloads if path not in lesson.downloads]

    first = _run(app, "export", "--directory", str(tmp_path / "a"))
    exported = tmp_path / "a" / course.slug
    assert (exported / uploaded.video_path).read_bytes() == video
    assert (exported / handout).read_bytes() == PDF
    assert not list(exported.rglob(".*.tmp"))  # written through a temporary file, renamed into place
    # A second export finds the copies current (the sha256 kept on each object) and copies nothing.
    again = _run(app, "export", "--directory", str(tmp_path / "a"))
    assert "media copied" in _summary(first.output, course.slug)
    assert "media copied" not in _summary(again.output, course.slug)
    with app.app_context():
        _empty_database()
    _run(app, "sync", "--dir", str(tmp_path / "a"))
    synced = _lesson_by_slug(app, lesson.slug)
    assert synced.video_path == uploaded.video_path and synced.downloads == uploaded.downloads


def _summary(output: str, slug: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(f"{slug}:"))


def _lesson_by_slug(app, slug: str) -> Lesson:
    with app.app_context():
        row = db.session.scalar(sa.select(Lesson).where(Lesson.slug == slug))
        db.session.expunge(row)
        return row
