"""The learner's journey in a real browser: sign up, verify, enrol, watch, and see the credit."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import lesson_progress, lesson_slugs, outbox_link
from tests.browser.pages import FREE_COURSE

EMAIL = "dana.brooks@example.org"
NEW_PASSWORD = "otters juggle kettles"
COURSE_TITLE = "Tips for Successful Collaboration with Teachers"

pytestmark = pytest.mark.usefixtures("demo_courses")


def test_a_new_learner_signs_up_verifies_enrols_and_completes_a_lesson_at_double_speed(app, page: Page):
    sign_up(page)
    verify_email(app, page)
    enrol_in_the_free_course(page)
    (first, first_title), (second, second_title), _third = lesson_slugs(app, FREE_COURSE)

    page.get_by_role("link", name="Start the first lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first_title)
    video = page.locator("#lesson-video")
    page.get_by_label("Speed").select_option("2")
    expect(video).to_have_js_property("playbackRate", 2)
    video.click()  # the video's own play control
    expect(video).to_have_js_property("paused", False)
    # 24 s of video at 2×: the lesson completes by the heartbeat the "ended" event sends.
    expect(page.locator("#watch-status")).to_have_text("Lesson complete ✓", timeout=30_000)
    row = outline_row(page, first_title)
    expect(row.locator(".lesson-state")).to_have_text("✓")  # the check mark, without a reload
    expect(row).to_contain_text("(completed)")  # and the words a screen reader says

    watched = lesson_progress(app, EMAIL, FREE_COURSE, first)
    assert watched.completed
    assert 0.9 * watched.duration_seconds <= watched.watched_seconds <= watched.duration_seconds

    replay_part_of_the_lesson(page)
    again = lesson_progress(app, EMAIL, FREE_COURSE, first)
    assert again.heartbeats > watched.heartbeats, "the replay's heartbeat reached the server"
    assert again.watched_seconds == watched.watched_seconds
    assert again.watched_intervals == watched.watched_intervals

    # Lesson 2: skip to the last line and watch only that: the skipped part does not count.
    page.get_by_role("link", name=re.compile(rf"^Next\W+{re.escape(second_title)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second_title)
    expect(page.get_by_label("Speed")).to_have_value("2")  # remembered from lesson 1
    with page.expect_response(re.compile(r"/progress$")) as answer:
        page.locator("#transcript button").last.click()
        expect(video).to_have_js_property("ended", True, timeout=15_000)
    state = answer.value.json()
    assert state["complete"] is False and state["watched_seconds"] < 6
    status = re.compile(r"^Watched \d+% · 90% completes the lesson$")
    expect(page.locator("#watch-status")).to_have_text(status)
    skipped = lesson_progress(app, EMAIL, FREE_COURSE, second)
    assert not skipped.completed and skipped.watched_seconds < 6
    assert all(start >= 19 for start, _end in skipped.watched_intervals), skipped.watched_intervals

    page.get_by_role("link", name=f"← {COURSE_TITLE}").click()
    progress = "1 of 3 lessons complete · 0.17 of 0.5 hours completed"
    expect(page.locator(".progress-label")).to_have_text(progress)
    expect(outline_row(page, first_title)).to_contain_text("(completed)")
    expect(outline_row(page, second_title)).to_contain_text("(not completed)")

    main_nav(page).get_by_role("link", name="My learning").click()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=COURSE_TITLE))
    expect(card).to_contain_text("1 of 3 lessons · 0.17 of 0.5 hours completed")
    expect(card.get_by_role("progressbar", name=f"Lessons completed: {COURSE_TITLE}")).to_have_attribute(
        "value", "33"
    )


def test_a_reading_lesson_is_completed_with_mark_as_done(app, make, learner, learner_page: Page):
    course = make.course(slug="reading-course", title="Documentation that Teachers Read", video=False)
    make.enrolment(learner, course)
    page = learner_page
    page.goto("/learn/reading-course/")
    page.get_by_role("link", name="Start the first lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 1")
    expect(page.locator("video")).to_have_count(0)

    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("status").filter(has_text="“Lesson 1” is complete.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 2")  # it moves on
    expect(outline_row(page, "Lesson 1")).to_contain_text("(completed)")
    assert lesson_progress(app, learner.email, "reading-course", "lesson-1").completed

    page.get_by_role("link", name=re.compile(r"Previous\W+Lesson 1$")).click()
    expect(page.get_by_text("Completed ✓")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)
    main_nav(page).get_by_role("link", name="My learning").click()
    # One hour over three lessons: 20 minutes of credit each.
    expect(page.locator(".progress-label")).to_have_text("1 of 3 lessons · 0.33 of 1 hour completed")


# Steps


def sign_up(page: Page) -> None:
    page.goto("/")
    main_nav(page).get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Display name").fill("Dana Brooks")
    page.get_by_label(re.compile(r"^Password")).fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    welcome = page.get_by_role("status").filter(has_text="Welcome!")
    expect(welcome).to_contain_text(f"We sent a link to {EMAIL}")
    expect(page.get_by_role("status").filter(has_text="Please verify your email address")).to_be_visible()


def verify_email(app, page: Page) -> None:
    page.goto(outbox_link(app, EMAIL, "/auth/verify/"))
    expect(page.get_by_role("status").filter(has_text=f"Thank you: {EMAIL} is verified.")).to_be_visible()
    expect(page.get_by_text("Please verify your email address")).to_have_count(0)


def enrol_in_the_free_course(page: Page) -> None:
    main_nav(page).get_by_role("link", name="Courses").click()
    page.get_by_role("link", name=COURSE_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
    page.get_by_role("button", name="Enrol for free").click()
    expect(page.get_by_text(f"You are enrolled in {COURSE_TITLE}. Welcome!")).to_be_visible()


def replay_part_of_the_lesson(page: Page) -> None:
    """Come back to the finished lesson and watch a stretch of it again, then pause."""
    page.reload()
    video = page.locator("#lesson-video")
    lines = page.locator("#transcript button")
    lines.nth(1).click()  # jumps there and plays
    expect(lines.nth(3)).to_have_attribute("aria-current", "true", timeout=15_000)
    with page.expect_response(re.compile(r"/progress$")) as answer:
        video.click()  # pause: the player sends what it played
    expect(video).to_have_js_property("paused", True)
    assert answer.value.ok
    claimed = answer.value.request.post_data_json["intervals"]
    assert claimed and claimed[0][0] >= 3, f"the replayed stretch was sent: {claimed}"


def outline_row(page: Page, lesson_title: str):
    """The lesson's row in the course outline (player sidebar or course home)."""
    return page.locator(".lessons > li").filter(has=page.get_by_role("link", name=lesson_title, exact=True))


def test_a_learner_downloads_the_handout(app, learner_with_progress, learner_page: Page):
    page = learner_page
    page.goto("/learn/tips-for-collaboration/")
    page.get_by_role("link", name="Strategies That Fit the Classroom Routine").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="tips-for-successful-collaboration-with-teachers.pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF")


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")
