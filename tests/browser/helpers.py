"""Small helpers the browser tests share: reading the database, the outbox, page state and focus."""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from courseware.accounts.models import User
from courseware.content.models import Course, Lesson, Module
from courseware.extensions import db
from courseware.learning.models import Enrolment, LessonProgress
from courseware.notifications.models import OutboxEmail

_LINK = re.compile(r"https?://\S+")


def outbox_link(app, recipient: str, path_part: str) -> str:
    """The link containing `path_part` in the latest email queued for `recipient`."""
    with app.app_context():
        body = db.session.scalar(
            sa.select(OutboxEmail.body_text)
            .where(OutboxEmail.recipient == recipient)
            .order_by(OutboxEmail.id.desc())
            .limit(1)
        )
    assert body is not None, f"no email was queued for {recipient}"
    links = [link for link in _LINK.findall(body) if path_part in link]
    assert links, f"the email to {recipient} has no link containing {path_part!r}:\n{body}"
    return links[0]


@dataclass(frozen=True)
class ProgressRow:
    watched_seconds: float
    watched_intervals: list
    duration_seconds: int | None
    completed: bool
    heartbeats: int


def lesson_progress(app, email: str, course_slug: str, lesson_slug: str) -> ProgressRow | None:
    """What the server recorded of this learner in this lesson."""
    with app.app_context():
        row = db.session.execute(
            sa.select(LessonProgress, Lesson.duration_seconds)
            .join(Enrolment, LessonProgress.enrolment_id == Enrolment.id)
            .join(User, Enrolment.user_id == User.id)
            .join(Lesson, LessonProgress.lesson_id == Lesson.id)
            .join(Course, Lesson.course_id == Course.id)
            .where(User.email == email, Course.slug == course_slug, Lesson.slug == lesson_slug)
        ).one_or_none()
        if row is None:
            return None
        progress = row.LessonProgress
        return ProgressRow(
            watched_seconds=progress.watched_seconds,
            watched_intervals=[list(interval) for interval in progress.watched_intervals],
            duration_seconds=row.duration_seconds,
            completed=progress.completed_at is not None,
            heartbeats=progress.heartbeats,
        )


def lesson_slugs(app, course_slug: str) -> list[tuple[str, str]]:
    """(slug, title) of the course's lessons in the order the outline shows them."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Lesson.slug, Lesson.title)
            .join(Course, Lesson.course_id == Course.id)
            .join(Module, Lesson.module_id == Module.id)
            .where(Course.slug == course_slug, Lesson.retired_at.is_(None))
            .order_by(Module.position, Lesson.position)
        ).all()
    return [(row.slug, row.title) for row in rows]


def focused(page: Page) -> dict:
    """The focused element: what it is, what it says, and how its focus is drawn."""
    # After a click the new page's elements can be there before its stylesheet (which draws the
    # focus ring); the load event waits for the stylesheet.
    page.wait_for_load_state("load")
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
          return {
            tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '', text: text.slice(0, 80),
            outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
            outlineColor: style.outlineColor, boxShadow: style.boxShadow,
          };
        }"""
    )


def focus_is_visible(state: dict) -> bool:
    """A focus ring a sighted keyboard user can see: a solid outline of 2 px or more, or a shadow."""
    outline = state["outlineStyle"] not in ("none", "hidden") and state["outlineWidth"] >= 2
    transparent = state["outlineColor"] in ("transparent", "rgba(0, 0, 0, 0)")
    return (outline and not transparent) or state["boxShadow"] not in ("none", "")


def press_tab(page: Page) -> dict:
    """Press Tab once; the element it focuses must show its focus. Returns that element."""
    page.keyboard.press("Tab")
    state = focused(page)
    assert focus_is_visible(state), f"no visible focus on {state}"
    return state


def tab_to(page: Page, wanted, limit: int = 60) -> dict:
    """Press Tab until the focused element matches; every stop on the way must show its focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] != "video":  # the native controls draw their own focus, inside the video
            assert focus_is_visible(state), f"no visible focus on {state}"
        if wanted(state):
            return state
        seen.append((state["tag"], state["id"] or state["text"][:30]))
    raise AssertionError(f"never reached by Tab; focus went through {seen}")


def seek_to_the_middle(page: Page) -> float:
    """Waits for the lesson video to know its length, seeks to its middle (the browser asks the
    server for a byte range), and returns where the video then is."""
    page.wait_for_function("() => document.querySelector('#lesson-video').readyState >= 1")
    page.evaluate(
        """() => new Promise((done) => {
             const video = document.querySelector('#lesson-video');
             video.addEventListener('seeked', done, { once: true });
             video.currentTime = video.duration / 2;
           })"""
    )
    return page.evaluate("() => document.querySelector('#lesson-video').currentTime")


def choose_file_with_space(page: Page, path) -> None:
    """Space on the focused file field opens the system's file dialog, where the file is picked.

    A heavily loaded machine has been seen to drop the first dialog (no "filechooser" event in
    10 s, once in many CI runs); a person would press Space again, and so does this, once."""
    for attempt in range(2):
        try:
            with page.expect_file_chooser(timeout=15_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            if attempt:
                raise
            continue
        chooser.value.set_files(path)
        return
