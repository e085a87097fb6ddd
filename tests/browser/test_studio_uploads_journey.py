"""The author uploads lesson media in the browser: a real video with the progress bar moving, which
the enrolled learner then plays and seeks in (range requests); a PDF dressed as a video, refused with
the reason by the field; captions uploaded and removed with the keyboard alone."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from courseware.accounts.models import Role
from courseware.content.models import Course, Lesson
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource
from tests.browser.conftest import DEMO_COURSES
from tests.browser.helpers import choose_file_with_space, seek_to_the_middle, tab_to
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking

COURSE = "tips-for-collaboration"
VIDEO = DEMO_COURSES / COURSE / "media" / "tips-02-communication-rhythm.mp4"
CAPTIONS = DEMO_COURSES / COURSE / "media" / "tips-02-communication-rhythm.vtt"
HANDOUT = next((DEMO_COURSES / COURSE / "media").glob("*.pdf"))

pytestmark = pytest.mark.usefixtures("demo_courses")


@pytest.fixture
def author(make):
    return make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)


@pytest.fixture
def first_lesson(app, learner) -> Lesson:
    """The course's first lesson; `learner` is enrolled in the course."""
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE))
        db.session.add(Enrolment(user_id=learner.id, course_id=course.id, source=EnrolmentSource.GRANT))
        db.session.commit()
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position).limit(1)
        )
        db.session.expunge(lesson)
    return lesson


def _slow_uploads(page: Page) -> None:
    """About 100 kB/s up, so the progress bar has time to be seen moving."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    conditions = {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 100_000}
    session.send("Network.emulateNetworkConditions", conditions)


def test_the_author_uploads_a_video_the_learner_plays_and_seeks_in_it(
    app, author, learner, first_lesson, new_context, sign_in, tmp_path
):
    page = axe_page(new_context, sign_in, author)
    page.goto(f"/studio/courses/{COURSE}/lessons/{first_lesson.id}/edit")
    media = page.locator("#media")
    expect(media.get_by_role("heading", name="Media")).to_be_visible()
    found = {"editor-media": blocking(page)}

    _slow_uploads(page)
    media.get_by_label("Video file (MP4 or WebM)").set_input_files(VIDEO)
    media.get_by_label("Length of the new video in seconds").fill(str(first_lesson.duration_seconds))
    media.get_by_role("button", name="Replace video").click()
    progress = page.locator("#video-progress")
    expect(progress).to_be_visible()
    page.wait_for_function("() => document.querySelector('#video-progress').value > 0")
    expect(page.locator("form.media-upload .upload-status").first).to_contain_text("Uploading…")
    expect(
        page.get_by_role("status").filter(has_text="Uploaded. Learners get the new video now.")
    ).to_be_visible(timeout=20_000)
    assert page.url.endswith("#media")
    expect(media).to_contain_text("tips-02-communication-rhythm.mp4")
    with app.app_context():
        stored = db.session.get(Lesson, first_lesson.id).video_path
    assert stored.startswith("media/") and stored != first_lesson.video_path

    # The learner's player plays the new file and seeks in it: the browser asks for byte ranges.
    learner_context = new_context()
    sign_in(learner_context, learner)
    player = learner_context.new_page()
    ranges = []
    player.on("response", lambda response: ranges.append(response.status) if stored in response.url else None)
    player.goto(f"/learn/{COURSE}/{first_lesson.slug}")
    video = player.locator("#lesson-video")
    expect(video.locator("source")).to_have_attribute("src", re.compile(re.escape(stored) + "$"))
    position = seek_to_the_middle(player)
    assert position > 1 and 206 in ranges

    # A PDF named like a video: the server reads its content and says why, by the field.
    page.goto(f"/studio/courses/{COURSE}/lessons/{first_lesson.id}/media")
    fake = tmp_path / "not-a-video.mp4"
    fake.write_bytes(HANDOUT.read_bytes())
    page.get_by_label("Video file (MP4 or WebM)").set_input_files(fake)
    page.get_by_role("button", name="Replace video").click()
    error = page.locator("#video-file-error")
    expect(error).to_contain_text("This file is not a MP4 video or WebM video: it looks like a PDF")
    expect(page.get_by_label("Video file (MP4 or WebM)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Video file (MP4 or WebM)")).to_be_focused()
    found["media-page-error"] = blocking(page)
    assert_no_violations(found)


def test_captions_are_uploaded_and_removed_with_the_keyboard_alone(
    app, author, first_lesson, new_context, sign_in
):
    context = new_context()
    sign_in(context, author)
    page = context.new_page()
    page.goto(f"/studio/courses/{COURSE}/lessons/{first_lesson.id}/media")
    page.get_by_role("link", name=re.compile("Edit")).first.focus()

    # The file input is reached by Tab; choosing the file is the system dialog's part.
    tab_to(page, lambda state: state["id"] == "captions-file")
    choose_file_with_space(page, CAPTIONS)
    tab_to(page, lambda state: state["tag"] == "button" and state["text"].endswith("captions"))
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("status").filter(has_text="Uploaded. Learners get the new captions file now.")
    ).to_be_visible()
    expect(page.locator("#media")).to_contain_text("tips-02-communication-rhythm.vtt")

    page.get_by_role("link", name=re.compile("Edit")).first.focus()  # from the top of the new page
    tab_to(page, lambda state: state["tag"] == "button" and state["text"] == "Remove captions")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Removed.")).to_be_visible()
    expect(page.locator("#media")).to_contain_text("No captions.")
    with app.app_context():
        assert db.session.get(Lesson, first_lesson.id).captions_path is None
