"""The post-test and evaluation as the studio edits them: the same Course fields `flask courses sync` writes.

    draft = post_test_draft(course)                                    # what the editor opens with
    save_post_test(course, questions, pass_percent, attempts, version, now)   # raises EditConflict
    save_evaluation(course, questions, version, now)                   # questions=None: the default

Nothing here touches the past: an attempt copies its paper when it starts, an evaluation response
the questions it asked, and a certificate a snapshot of what it prints. A save changes what the next
attempt or evaluation gets. Only flushes.
"""

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa

from courseware.assessment.evaluation import DEFAULT_EVALUATION
from courseware.assessment.services import post_test_settings
from courseware.content.models import Course
from courseware.content.questions import with_html
from courseware.content.writer import add_studio_revision
from courseware.extensions import db
from courseware.studio.editor import EditConflict
from courseware.studio.editor_publish import course_lessons
from courseware.studio.post_test_forms import Draft, Question

# Where a course sets none: the values assessment.services applies.
NEW_POST_TEST = {"pass_percent": 80, "attempts": 2}


def post_test_version(course: Course) -> str:
    """Changes with every save of the questions or the settings, by the studio or by a sync."""
    return _digest({"questions": course.post_test, "settings": (course.completion or {}).get("post_test")})


def evaluation_version(course: Course) -> str:
    return _digest({"questions": course.evaluation})


def post_test_draft(course: Course) -> Draft:
    settings = post_test_settings(course) or NEW_POST_TEST
    questions = [
        Question(prompt=question["prompt"], choices=list(question["choices"]),
                 correct=list(question["answer"]), multiple=bool(question.get("multiple")),
                 explanation=question.get("explanation") or "")
        for question in (course.post_test or {}).get("questions", [])
    ]
    return Draft(questions or [blank_post_test_question()], post_test_version(course),
                 str(settings["pass_percent"]), str(settings["attempts"]))


def evaluation_draft(course: Course) -> Draft:
    """The course's own questions, or the platform's default ones to start from."""
    source = course.evaluation["questions"] if course.evaluation else DEFAULT_EVALUATION
    questions = [
        Question(key=question["key"], prompt=question["prompt"], type=question["type"],
                 choices=list(question.get("choices") or []), required=question.get("required", True))
        for question in source
    ]
    return Draft(questions, evaluation_version(course))


def blank_post_test_question() -> Question:
    return Question()


def blank_evaluation_question() -> Question:
    return Question(choices=[])


def save_post_test(course: Course, questions: list[dict], pass_percent: int, attempts: int, version: str,
                   now: datetime) -> None:
    """The questions and the pass mark and attempts in completion.post_test (which makes it required)."""
    _claim(course, version, post_test_version(course))
    course.post_test = with_html({"questions": questions})
    # A new dict: the JSON column only notices a new value, not a change inside the old one.
    course.completion = {**(course.completion or {}),
                         "post_test": {"pass_percent": pass_percent, "attempts": attempts}}
    _new_revision(course, now)


def save_evaluation(course: Course, questions: list[dict] | None, version: str, now: datetime) -> None:
    """The course's own evaluation questions, or None for the platform's default evaluation."""
    _claim(course, version, evaluation_version(course))
    course.evaluation = None if questions is None else with_html({"questions": questions})
    _new_revision(course, now)


def _claim(course: Course, version: str, current: str) -> None:
    """Optimistic locking: the form's version must be the stored one.

    The guarded UPDATE (which changes nothing) also catches a save committed between this request's
    read and its write: it waits for that one's row lock, then no longer matches the revision read.
    """
    if version != current:
        raise EditConflict
    claimed = db.session.execute(
        sa.update(Course)
        .where(Course.id == course.id, Course.revision == course.revision)
        .values(revision=Course.revision)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise EditConflict


def _new_revision(course: Course, now: datetime) -> None:
    """As the lesson editor records a publish: every worker caches the course by (id, revision), and
    the CourseRevision row says what content a certificate was earned on."""
    course.updated_at = now
    add_studio_revision(course, course_lessons(course), now)


def _digest(value: dict) -> str:
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]
