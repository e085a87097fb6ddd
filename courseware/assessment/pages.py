"""What the post-test and evaluation pages show, gathered in a constant number of statements."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape

from courseware.assessment import evaluation, grading, services
from courseware.assessment.models import EvaluationResponse, PostTestAttempt
from courseware.assessment.services import PostTestStatus
from courseware.content.models import Course, Lesson
from courseware.learning.models import Enrolment
from courseware.learning.services import Outline, find_course_and_enrolment, load_outline

_ONE_PARAGRAPH = re.compile(r"^\s*<p>(?P<inner>(?:(?!</?p[ >]).)*)</p>\s*$", re.DOTALL)


@dataclass
class CourseSteps:
    """The course, the learner's enrolment and how far along the requirements they are."""

    course: Course
    enrolment: Enrolment
    outline: Outline
    status: PostTestStatus | None  # None: the course has no post-test

    @property
    def missing_lessons(self) -> list[Lesson]:
        return [lesson for lesson in self.outline.lessons if not self.outline.is_done(lesson)]

    @property
    def lessons_done(self) -> bool:
        # As the certificate checklist decides it: a course with no live lesson is not yet done.
        return bool(self.outline.lessons) and not self.missing_lessons

    @property
    def post_test_done(self) -> bool:
        return self.status is None or self.status.passed


@dataclass
class AttemptPage:
    steps: CourseSteps
    attempt: PostTestAttempt

    @property
    def missed(self) -> list[tuple[int, dict]]:
        """(position shown, question) of each question answered wrongly."""
        answers = self.attempt.answers or {}
        return [(position, question) for position, question in enumerate(self.attempt.paper, 1)
                if not grading.is_correct(question, answers)]


@dataclass
class EvaluationPage:
    steps: CourseSteps
    response: EvaluationResponse | None
    questions: list[dict] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return bool(self.steps.course.completion.get("evaluation"))

    @property
    def is_open(self) -> bool:
        return self.steps.lessons_done and self.steps.post_test_done


def course_steps(slug: str, user_id: int, now: datetime) -> CourseSteps | None:
    """None when the course is not live or the user is not enrolled: those pages are 404s."""
    course, enrolment = find_course_and_enrolment(slug, user_id, now)
    if course is None or enrolment is None:
        return None
    status = services.post_test_status(enrolment, course)
    return CourseSteps(course, enrolment, load_outline(course, enrolment, now), status)


def attempt_page(slug: str, number: int, user_id: int, now: datetime) -> AttemptPage | None:
    steps = course_steps(slug, user_id, now)
    if steps is None or steps.status is None:
        return None
    attempt = services.find_attempt(steps.enrolment.id, number)
    return AttemptPage(steps, attempt) if attempt is not None else None


def evaluation_page(slug: str, user_id: int, now: datetime) -> EvaluationPage | None:
    steps = course_steps(slug, user_id, now)
    if steps is None:
        return None
    page = EvaluationPage(steps, services.find_evaluation(steps.enrolment.id))
    if page.response is None and page.is_open:
        page.questions = evaluation.questions_as_asked(steps.course.evaluation, steps.course.objectives)
    return page


def prompt_parts(question: dict) -> tuple[Markup | None, Markup | None]:
    """(inline, block) HTML of a question's prompt: a legend holds only inline HTML.

    A one-paragraph prompt goes into the legend whole; a longer one is shown below the legend.
    """
    html = question.get("prompt_html")
    if not html:
        return escape(question["prompt"]), None
    match = _ONE_PARAGRAPH.match(html)
    if match is not None:
        return Markup(match.group("inner")), None
    return None, Markup(html)


def explanation_html(question: dict) -> Markup | None:
    if question.get("explanation_html"):
        return Markup(question["explanation_html"])
    return escape(question["explanation"]) if question.get("explanation") else None
