"""What the learning pages show, gathered in a constant number of statements per page."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from courseware.content.models import Course
from courseware.content.structure import LessonEntry
from courseware.learning import services, signals
from courseware.learning.models import Enrolment
from courseware.learning.services import LessonState, Outline


@dataclass
class CourseHomePage:
    course: Course
    enrolment: Enrolment | None
    outline: Outline

    @property
    def resume(self) -> LessonEntry | None:
        if self.enrolment is None:
            return None
        return self.outline.resume_lesson(self.enrolment.last_lesson_id)


@dataclass
class PlayerPage:
    course: Course
    enrolment: Enrolment | None
    outline: Outline
    lesson: LessonEntry
    progress: LessonState | None = None
    blocker: LessonEntry | None = None
    # What other packages add through `signals.player_page_loaded` (e.g. "lesson_questions").
    extras: dict = field(default_factory=dict)

    @property
    def may_watch(self) -> bool:
        return self.enrolment is not None or self.lesson.preview

    @property
    def tracking(self) -> bool:
        """Watch time is recorded only for an enrolled learner in an unlocked lesson."""
        return self.enrolment is not None and self.blocker is None

    @property
    def previous(self) -> LessonEntry | None:
        return self.outline.neighbours(self.lesson)[0]

    @property
    def next(self) -> LessonEntry | None:
        return self.outline.neighbours(self.lesson)[1]


def course_home(slug: str, user_id: int, now: datetime) -> CourseHomePage | None:
    course, enrolment = services.find_course_and_enrolment(slug, user_id, now)
    if course is None:
        return None
    return CourseHomePage(course, enrolment, services.load_outline(course, enrolment, now))


def player_state(slug: str, lesson_slug: str, user_id: int | None, now: datetime) -> PlayerPage | None:
    """The course, the learner's enrolment and progress, and the lesson; nothing changed."""
    course, enrolment = services.find_course_and_enrolment(slug, user_id, now)
    if course is None:
        return None
    outline = services.load_outline(course, enrolment, now)
    lesson = outline.find(lesson_slug)
    if lesson is None:
        return None
    page = PlayerPage(course, enrolment, outline, lesson, progress=outline.progress.get(lesson.id))
    if enrolment is not None:
        page.blocker = outline.blocker(lesson)
    return page


def player(slug: str, lesson_slug: str, user_id: int | None, now: datetime) -> PlayerPage | None:
    """The player page: opening it starts the lesson's watch-time clock for an enrolled learner."""
    page = player_state(slug, lesson_slug, user_id, now)
    if page is None or not page.may_watch or page.blocker is not None:
        return page
    if page.enrolment is not None:
        page.progress = services.open_lesson(page.enrolment, page.lesson, page.progress, now)
    signals.player_page_loaded.send(current_app._get_current_object(), page=page)
    return page
