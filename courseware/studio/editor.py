"""The lesson editor's services: a lesson's editing state, new lessons, drafts, history.

    state = editor_state(course, lesson_id)             # None: not a lesson of this course
    save_draft(state, content, author_id, state.version, now)   # raises EditConflict
    db.session.commit()                                 # the view commits

The Lesson row is what learners see; every save adds a LessonRevision, and the lesson's latest
revision, when it is a draft, is the pending draft (learners keep the published text until the
author publishes: editor_publish.py). Only flushes.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased, joinedload

from courseware.content.lessons import RESERVED_LESSON_SLUGS
from courseware.content.models import Course, Lesson, Module, Status
from courseware.extensions import db
from courseware.markdown import render
from courseware.studio.models import LessonRevision, RevisionStatus

REVISIONS_PER_PAGE = 20


@dataclass(frozen=True)
class LessonContent:
    """What the editor edits and a revision keeps."""

    title: str
    body_md: str
    duration_seconds: int | None
    credit_minutes: int | None  # as declared; None shares the course's remaining minutes
    preview: bool

    @classmethod
    def of(cls, source: Lesson | LessonRevision) -> "LessonContent":
        credit = source.credit_minutes_declared if isinstance(source, Lesson) else source.credit_minutes
        return cls(source.title, source.body_md, source.duration_seconds, credit, source.preview)


class EditConflict(Exception):
    """Someone saved the lesson (or a sync changed it) since the editor was opened."""


@dataclass
class EditorState:
    course: Course
    lesson: Lesson
    module: Module
    latest: LessonRevision | None  # the lesson's newest revision, if the studio ever saved it

    @property
    def version(self) -> str:
        """What the form carries: it changes with every save and every sync of the lesson."""
        return f"{self.lesson.revision}-{self.latest.number if self.latest else 0}"

    @property
    def draft(self) -> LessonRevision | None:
        latest = self.latest
        return latest if latest is not None and latest.status == RevisionStatus.DRAFT else None

    @property
    def content(self) -> LessonContent:
        """The text the editor opens with: the pending draft, or what learners see."""
        return LessonContent.of(self.draft or self.lesson)

    @property
    def stale_draft(self) -> bool:
        """The lesson was published or synced from files after this draft was saved."""
        return self.draft is not None and self.draft.lesson_revision < self.lesson.revision

    @property
    def retired(self) -> bool:
        return self.lesson.retired_at is not None or self.module.retired_at is not None


def find_course(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


@dataclass
class NewLessonPlace:
    """Where a new lesson goes: last in its module. Lesson.position runs through the whole course."""

    course: Course
    module: Module
    after: int  # the position of the last lesson in this module or an earlier one (0: none)
    last: int  # the course's last lesson position


def new_lesson_place(course_slug: str, module_id: int) -> NewLessonPlace | None:
    """The course, its (current) module and the positions around it, in one statement."""
    earlier = aliased(Module)
    after = (
        sa.select(sa.func.coalesce(sa.func.max(Lesson.position), 0))
        .join(earlier, Lesson.module_id == earlier.id)
        .where(earlier.course_id == Module.course_id, earlier.position <= Module.position)
        .correlate(Module)
        .scalar_subquery()
    )
    last = (
        sa.select(sa.func.coalesce(sa.func.max(Lesson.position), 0))
        .where(Lesson.course_id == Course.id)
        .correlate(Course)
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(Course, Module, after, last)
        .join(Module, Module.course_id == Course.id)
        .where(Course.slug == course_slug, Module.id == module_id, Module.retired_at.is_(None))
    ).one_or_none()
    return None if row is None else NewLessonPlace(*row)


def editor_state(course: Course, lesson_id: int) -> EditorState | None:
    """The lesson, its module and its newest revision in one statement; None for another course's."""
    newest = (
        sa.select(sa.func.max(LessonRevision.number))
        .where(LessonRevision.lesson_id == Lesson.id)
        .correlate(Lesson)
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(Lesson, Module, LessonRevision)
        .join(Module, Lesson.module_id == Module.id)
        .outerjoin(
            LessonRevision, sa.and_(LessonRevision.lesson_id == Lesson.id, LessonRevision.number == newest)
        )
        .where(Lesson.id == lesson_id, Lesson.course_id == course.id)
    ).one_or_none()
    return None if row is None else EditorState(course, row.Lesson, row.Module, row.LessonRevision)


def slug_problem(course: Course, slug: str) -> str | None:
    """Why no lesson may take this slug (the file format's rule), or None. A slug taken by another
    lesson of the course is refused by the unique key when the lesson is written."""
    if slug in RESERVED_LESSON_SLUGS:
        return f'"{slug}" is taken by a course page (/learn/{course.slug}/{slug}); choose another.'
    return None


def create_lesson(place: NewLessonPlace, slug: str, content: LessonContent) -> EditorState:
    """A new lesson, last in its module, as a draft learners cannot see; IntegrityError if the
    slug is taken in the course."""
    position = place.after + 1
    if place.after < place.last:  # later modules' lessons move down one
        db.session.execute(
            sa.update(Lesson)
            .where(Lesson.course_id == place.course.id, Lesson.position >= position)
            .values(position=Lesson.position + 1)
            .execution_options(synchronize_session=False)
        )
    lesson = Lesson(
        course_id=place.course.id,
        module_id=place.module.id,
        slug=slug,
        position=position,
        status=Status.DRAFT,
        revision=1,
    )
    write_content(lesson, content)
    db.session.add(lesson)
    db.session.flush()
    return EditorState(place.course, lesson, place.module, None)


def save_draft(
    state: EditorState, content: LessonContent, author_id: int, version: str, now: datetime, note: str = ""
) -> LessonRevision:
    """A new draft revision; learners keep seeing the Lesson row unless it was never published."""
    check_version(state, version)
    if state.lesson.status == Status.DRAFT:
        # Learners cannot see a draft lesson, so its row may carry the text (and the files it exports to).
        write_content(state.lesson, content)
    return add_revision(state, content, RevisionStatus.DRAFT, author_id, now, note=note)


def restore(state: EditorState, old: LessonRevision, author_id: int, now: datetime) -> LessonRevision:
    """An old revision's content becomes the newest draft; history is only ever added to."""
    note = f"Restored from revision {old.number}"
    return save_draft(state, LessonContent.of(old), author_id, state.version, now, note)


def check_version(state: EditorState, version: str) -> None:
    if version != state.version:
        raise EditConflict


def write_content(lesson: Lesson, content: LessonContent) -> None:
    lesson.title = content.title
    lesson.body_md = content.body_md
    lesson.body_html = render(content.body_md, trusted=True)
    lesson.duration_seconds = content.duration_seconds
    lesson.credit_minutes_declared = content.credit_minutes
    # As sync does: a lesson that is not published carries what it declares; publishing shares out.
    lesson.credit_minutes = content.credit_minutes or 0
    lesson.preview = content.preview


def add_revision(
    state: EditorState,
    content: LessonContent,
    status: str,
    author_id: int | None,
    now: datetime,
    publish_at: datetime | None = None,
    note: str = "",
) -> LessonRevision:
    """The next revision of the lesson; two saves from the same page collide on its unique number."""
    body_html = (
        state.lesson.body_html
        if content.body_md == state.lesson.body_md
        else render(content.body_md, trusted=True)
    )
    revision = LessonRevision(
        lesson_id=state.lesson.id,
        number=(state.latest.number if state.latest else 0) + 1,
        lesson_revision=state.lesson.revision,
        author_id=author_id,
        created_at=now,
        status=status,
        title=content.title,
        body_md=content.body_md,
        body_html=body_html,
        duration_seconds=content.duration_seconds,
        credit_minutes=content.credit_minutes,
        preview=content.preview,
        publish_at=publish_at,
        note=note,
    )
    db.session.add(revision)
    db.session.flush()
    state.latest = revision
    return revision


def preview_html(body_md: str) -> str:
    """Exactly what learners will see: the one markdown function, with the author's allowances."""
    return render(body_md, trusted=True)


def revision_page(lesson: Lesson, page: int) -> Pagination:
    """The lesson's revisions, newest first, each with its author (a count and a page: two statements)."""
    statement = (
        sa.select(LessonRevision)
        .options(joinedload(LessonRevision.author))
        .where(LessonRevision.lesson_id == lesson.id)
        .order_by(LessonRevision.number.desc())
    )
    return db.paginate(statement, page=page, per_page=REVISIONS_PER_PAGE, error_out=False)


def find_revision(lesson: Lesson, number: int) -> LessonRevision | None:
    return db.session.scalar(
        sa.select(LessonRevision)
        .options(joinedload(LessonRevision.author))
        .where(LessonRevision.lesson_id == lesson.id, LessonRevision.number == number)
    )
