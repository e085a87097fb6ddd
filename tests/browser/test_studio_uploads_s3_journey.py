"""With the media store in S3 (moto's server on 127.0.0.1): the author uploads a real video with the
keyboard alone, it lands in the bucket, and the learner's player plays it from a presigned URL and
seeks in it, the bucket answering the range requests (the CSP lets media come from there)."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.content.models import Lesson
from courseware.extensions import db
from tests.browser import test_studio_uploads_journey as local_journey
from tests.browser.helpers import choose_file_with_space, seek_to_the_middle, tab_to
from tests.studio.s3_helpers import objects, s3_config

pytestmark = pytest.mark.usefixtures("demo_courses")
COURSE, VIDEO = local_journey.COURSE, local_journey.VIDEO
# The same author and enrolled learner's first lesson as the journey with the local store.
author, first_lesson = local_journey.author, local_journey.first_lesson


@pytest.fixture
def app_config(app_config, endpoint, bucket):
    """The app with its media store in a fresh bucket of the moto server (s3_helpers)."""
    return {**app_config, **s3_config(endpoint, bucket)}


def test_a_video_uploaded_to_the_bucket_plays_and_seeks_from_it(
    app,
    author,
    learner,
    first_lesson,
    new_context,
    sign_in,
    endpoint,
    bucket,
    tmp_path,
):
    page = sign_in(new_context(), author).new_page()
    page.goto(f"/studio/courses/{COURSE}/lessons/{first_lesson.id}/media")
    page.get_by_role("link", name=re.compile("Edit")).first.focus()
    tab_to(page, lambda state: state["id"] == "video-file")
    choose_file_with_space(page, VIDEO)
    tab_to(page, lambda state: state["id"] == "video-duration")
    page.keyboard.type(str(first_lesson.duration_seconds))
    tab_to(page, lambda state: state["tag"] == "button" and state["text"] == "Replace video")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("status").filter(has_text="Uploaded. Learners get the new video now.")
    ).to_be_visible(timeout=20_000)
    with app.app_context():
        stored = db.session.scalar(sa.select(Lesson.video_path).where(Lesson.id == first_lesson.id))
    [key] = objects(endpoint, bucket)
    assert key.endswith(stored) and stored != first_lesson.video_path
    assert not [path for path in (tmp_path / "media").rglob("*") if path.is_file()]

    player = sign_in(new_context(), learner).new_page()
    from_bucket = []
    player.on(
        "response",
        lambda response: from_bucket.append(response.status) if response.url.startswith(endpoint) else None,
    )
    player.goto(f"/learn/{COURSE}/{first_lesson.slug}")
    position = seek_to_the_middle(player)
    assert position > 1 and 206 in from_bucket
