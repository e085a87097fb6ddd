"""Script injection: every vector of the corpus, on every surface that shows untrusted text.

Each surface is visited twice: as served (with CSP), and with the CSP header stripped, which
proves the HTML itself is clean rather than CSP hiding what got through. The two visits are
separate tests, so pytest-xdist's workers share them.
"""

from urllib.parse import quote

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.accounts.models import User
from courseware.content.models import Course, Lesson, Module, Status
from courseware.extensions import db
from courseware.formatting import transcript_html
from courseware.learning.models import Enrolment, EnrolmentSource
from courseware.markdown import render
from tests.browser.script_watch import ScriptWatch
from tests.browser.xss_corpus import BROWSER_VECTORS, PROBE_SCRIPT, VECTORS

CSP_MODES = (ScriptWatch.SERVED, ScriptWatch.CSP_STRIPPED)


def test_the_corpus_is_big_enough_and_fits_every_field():
    assert len(VECTORS) >= 100  # tests/data/xss_vectors.json
    assert len({vector.name for vector in VECTORS}) == len(VECTORS)
    assert all(len(vector.payload) <= 80 for vector in VECTORS), "a display name holds 80 characters"


def test_the_watch_sees_a_script_that_gets_through(app, make, learner, sign_in, new_context):
    """The control: unsanitised HTML does run, and CSP alone does not stop a same-origin script."""
    course = make.course(slug="raw-html", lessons=1, video=False)
    make.enrolment(learner, course)
    raw = f'<img src=x onerror="alert(1)"><script src="{PROBE_SCRIPT}"></script>'
    store_lesson_body(app, course, 1, raw)  # skipping the sanitiser on purpose

    stripped = watched_page(new_context, sign_in, learner, csp=ScriptWatch.CSP_STRIPPED)
    stripped.page.goto("/learn/raw-html/lesson-1")
    problems = stripped.problems()
    assert "dialog: alert '1'" in problems
    assert "ran: xss-probe.js" in problems
    assert any("onerror" in problem for problem in problems)

    served = watched_page(new_context, sign_in, learner, csp=ScriptWatch.SERVED)
    served.page.goto("/learn/raw-html/lesson-1")
    problems = served.problems()
    assert not any(problem.startswith("dialog") for problem in problems), "CSP blocks inline handlers"
    assert "ran: xss-probe.js" in problems, "but script-src 'self' lets a same-origin script run"


# The catalogue shows 24 courses a page and the dashboard 12: every page of both, and the home page.
LISTING_PAGES = [
    "/",
    *(f"/courses/?page={n}" for n in range(1, -(-len(BROWSER_VECTORS) // 24) + 1)),
    *(f"/me/?page={n}" for n in range(1, -(-len(BROWSER_VECTORS) // 12) + 1)),
]


@pytest.mark.parametrize("csp", CSP_MODES)
def test_no_vector_runs_from_lesson_markdown_transcripts_or_titles(app, learner, sign_in, new_context, csp):
    """Each vector as a course's title and summary, its lesson's title, markdown and captions."""
    seed_one_course_per_vector(app, learner)
    found = {}
    watch = watched_page(new_context, sign_in, learner, csp=csp)
    page = watch.page
    titles: set[str] = set()
    for listing in LISTING_PAGES:
        page.goto(listing)
        expect(page.locator(".card").first).to_be_visible()
        if listing.startswith("/courses/"):
            titles.update(page.locator(".card h2").all_inner_texts())
        found[listing] = watch.problems()
    assert titles == {vector.payload for vector in BROWSER_VECTORS}  # every title shown, as text
    for index, vector in enumerate(BROWSER_VECTORS):
        page.goto(f"/learn/xss-{index}/lesson-1")
        expect(page.get_by_role("heading", level=1)).to_have_text(vector.payload)  # shown as text
        expect(page.locator("#transcript button")).to_have_text(f"0:00{vector.payload}")
        found[vector.name] = watch.problems()
    assert_none_ran(found)


def test_no_vector_runs_from_a_display_name_or_legal_name_typed_into_the_profile(
    learner, sign_in, new_context
):
    """As a learner would: typed into the profile form, saved, and shown back, with the CSP."""
    found = {}
    watch = watched_page(new_context, sign_in, learner, csp=ScriptWatch.SERVED)
    page = watch.page
    page.goto("/me/profile")
    for vector in BROWSER_VECTORS:
        page.get_by_label("Display name").fill(vector.payload)
        page.get_by_label("Legal name for certificates").fill(vector.payload)
        with page.expect_event("load"):  # after the redirect back to the profile
            page.get_by_role("button", name="Save details").click()
        expect(page.get_by_role("status").filter(has_text="Your profile is saved.")).to_be_visible()
        # Saved and shown back exactly as typed, as text.
        expect(page.get_by_label("Display name")).to_have_value(vector.payload)
        expect(page.get_by_label("Legal name for certificates")).to_have_value(vector.payload)
        found[vector.name] = watch.problems()
    assert_none_ran(found)


def test_no_vector_runs_from_a_stored_display_name_or_legal_name_without_the_csp(
    app, learner, sign_in, new_context
):
    found = {}
    watch = watched_page(new_context, sign_in, learner, csp=ScriptWatch.CSP_STRIPPED)
    for vector in BROWSER_VECTORS:
        with app.app_context():
            db.session.execute(
                sa.update(User).where(User.id == learner.id)
                .values(display_name=vector.payload, legal_name=vector.payload)
            )
            db.session.commit()
        watch.page.goto("/me/profile")
        expect(watch.page.get_by_label("Display name")).to_have_value(vector.payload)
        found[vector.name] = watch.problems()
    assert_none_ran(found)


@pytest.mark.parametrize("csp", CSP_MODES)
def test_no_vector_runs_from_a_reflected_query_string(new_context, csp):
    found = {}
    watch = ScriptWatch(new_context().new_page(), csp=csp)
    for vector in BROWSER_VECTORS:
        # Log-in and sign-up put a same-site `next` into their form's action; anything else is dropped.
        target = quote(vector.payload)
        for url in (f"/auth/login?next=/{target}", f"/auth/signup?next={target}"):
            assert watch.page.goto(url).ok
            found[f"{vector.name} in {url}"] = watch.problems()
    assert_none_ran(found)


# Helpers


def watched_page(new_context, sign_in, user, csp: str) -> ScriptWatch:
    context = new_context()
    sign_in(context, user)
    return ScriptWatch(context.new_page(), csp=csp)


def seed_one_course_per_vector(app, learner) -> None:
    """Course xss-<n>: the vector as title and summary; its one lesson has it as title, as markdown
    body and as a caption line of the interactive transcript, all stored as the sync stores them."""
    with app.app_context():
        for index, vector in enumerate(BROWSER_VECTORS):
            course = Course(
                slug=f"xss-{index}", title=vector.payload, summary=vector.payload, instructor="J. Huff",
                contact_hours=1, level="Introductory", category="Professional Issues",
                status=Status.PUBLISHED, lesson_count=1,
            )
            module = Module(course=course, slug="m1", position=1, title=vector.payload)
            db.session.add_all([course, module])
            db.session.flush()
            cues = [[0.0, 4.0, vector.payload]]
            lesson = Lesson(
                course_id=course.id, module=module, slug="lesson-1", position=1, title=vector.payload,
                credit_minutes=60, video_path="media/clip.mp4", duration_seconds=30,
                body_html=render(vector.payload, trusted=True), transcript=cues,
                transcript_html=transcript_html(cues),
            )
            enrolment = Enrolment(user_id=learner.id, course_id=course.id, source=EnrolmentSource.FREE)
            db.session.add_all([lesson, enrolment])
        db.session.commit()


def store_lesson_body(app, course: Course, position: int, body_html: str, title: str | None = None) -> None:
    values = {"body_html": body_html} | ({"title": title} if title is not None else {})
    with app.app_context():
        lesson = sa.update(Lesson).where(Lesson.course_id == course.id, Lesson.position == position)
        db.session.execute(lesson.values(**values))
        db.session.commit()


def assert_none_ran(found: dict[str, list[str]]) -> None:
    failures = {where: problems for where, problems in found.items() if problems}
    report = "\n".join(f"  {where}: {problems}" for where, problems in failures.items())
    assert not failures, f"script could run on {len(failures)} page(s):\n{report}"
