"""The course outline the editor starts from: modules, lessons and their state, in three statements."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from courseware.content.models import Course, Lesson, Module
from courseware.extensions import db
from courseware.studio.models import LessonRevision, RevisionStatus


@dataclass
class OutlineModule:
    module: Module
    lessons: list[Lesson] = field(default_factory=list)


@dataclass
class Outline:
    course: Course
    modules: list[OutlineModule]
    drafts: set[int]  # ids of lessons with a pending draft


def course_outline(course: Course) -> Outline:
    """Modules and lessons in course order, retired ones included (marked so): three statements."""
    modules = {
        module.id: OutlineModule(module)
        for module in db.session.scalars(
            sa.select(Module).where(Module.course_id == course.id).order_by(Module.position)
        )
    }
    lessons = db.session.scalars(
        sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
    )
    for lesson in lessons:
        modules[lesson.module_id].lessons.append(lesson)
    return Outline(course, list(modules.values()), _lessons_with_drafts(course.id))


def _lessons_with_drafts(course_id: int) -> set[int]:
    newest = (
        sa.select(LessonRevision.lesson_id, sa.func.max(LessonRevision.number).label("number"))
        .join(Lesson, LessonRevision.lesson_id == Lesson.id)
        .where(Lesson.course_id == course_id)
        .group_by(LessonRevision.lesson_id)
        .subquery()
    )
    return set(
        db.session.scalars(
            sa.select(LessonRevision.lesson_id)
            .join(
                newest,
                sa.and_(
                    LessonRevision.lesson_id == newest.c.lesson_id, LessonRevision.number == newest.c.number
                ),
            )
            .where(LessonRevision.status == RevisionStatus.DRAFT)
        )
    )
