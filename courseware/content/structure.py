"""A course's modules and lessons as read-only values, kept in memory per course revision.

Every course page shows the outline, and the player shows a lesson's text and transcript; that
content changes only when the course does, and every change bumps `Course.revision` (a sync writes
a new revision; so must any other editor). So each worker keeps the structure of the revisions it
has seen, keyed by (course id, revision): the course row that every page loads anyway says which
one is current, and a page reads the content without a statement.

Changes made through the ORM in this process (a sync, a test building data) also empty the cache,
so a change is seen at once even where the revision has not moved yet.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from threading import Lock

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from courseware.content.models import Course, Lesson, Module, Status
from courseware.extensions import db

EXTENSION_KEY = "course_structures"
KEPT_REVISIONS = 64  # about 20 kB of text per lesson: a few MB per worker at most


@dataclass(frozen=True, slots=True)
class ModuleEntry:
    id: int
    title: str
    position: int


@dataclass(frozen=True, slots=True)
class LessonEntry:
    """A published, unretired lesson with what the course pages show of it."""

    id: int
    module_id: int
    slug: str
    position: int
    title: str
    video_path: str | None
    captions_path: str | None
    duration_seconds: int | None
    credit_minutes: int
    downloads: tuple[str, ...]
    preview: bool
    revision: int
    publish_at: datetime | None
    body_html: str
    transcript_html: str

    @property
    def has_video(self) -> bool:
        return self.video_path is not None

    def is_live(self, now: datetime) -> bool:
        return self.publish_at is None or self.publish_at <= now


@dataclass(frozen=True)
class CourseStructure:
    """The course's published lessons in order, each with its module."""

    entries: tuple[tuple[LessonEntry, ModuleEntry], ...]

    def live(self, now: datetime) -> list[tuple[LessonEntry, ModuleEntry]]:
        """The lessons learners see now: a scheduled lesson appears when its time comes."""
        return [entry for entry in self.entries if entry[0].is_live(now)]


def course_structure(course: Course) -> CourseStructure:
    """The structure of the course's current revision: from memory, or one statement."""
    cache = current_app.extensions[EXTENSION_KEY]
    key = (course.id, course.revision)
    structure = cache.get(key)
    if structure is None:
        structure = _load(course.id)
        cache.put(key, structure)
    return structure


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = _StructureCache(KEPT_REVISIONS)
    if not event.contains(Session, "after_flush", _forget_on_content_change):
        event.listen(Session, "after_flush", _forget_on_content_change)


class _StructureCache:
    """A small LRU map; gunicorn's threads (if any) may share it, hence the lock."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[int, int], CourseStructure] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[int, int]) -> CourseStructure | None:
        with self._lock:
            structure = self._items.get(key)
            if structure is not None:
                self._items.move_to_end(key)
            return structure

    def put(self, key: tuple[int, int], structure: CourseStructure) -> None:
        with self._lock:
            self._items[key] = structure
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_CONTENT_MODELS = (Course, Module, Lesson)


def _forget_on_content_change(session: Session, _flush_context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(item, _CONTENT_MODELS) for item in changed):
        cache = current_app.extensions.get(EXTENSION_KEY) if current_app else None
        if cache is not None:
            cache.clear()


def _load(course_id: int) -> CourseStructure:
    rows = db.session.execute(_structure_statement(), {"course_id": course_id})
    modules: dict[int, ModuleEntry] = {}
    entries = []
    for row in rows:
        module = modules.get(row.module_id)
        if module is None:
            module = ModuleEntry(row.module_id, row.module_title, row.module_position)
            modules[row.module_id] = module
        entries.append((_lesson_entry(row), module))
    return CourseStructure(tuple(entries))


def _lesson_entry(row: sa.Row) -> LessonEntry:
    return LessonEntry(
        id=row.id, module_id=row.module_id, slug=row.slug, position=row.position, title=row.title,
        video_path=row.video_path, captions_path=row.captions_path, duration_seconds=row.duration_seconds,
        credit_minutes=row.credit_minutes, downloads=tuple(row.downloads or ()), preview=row.preview,
        revision=row.revision, publish_at=row.publish_at, body_html=row.body_html,
        transcript_html=row.transcript_html,
    )


@cache
def _structure_statement() -> sa.Select:
    return (
        sa.select(
            Lesson.id, Lesson.module_id, Lesson.slug, Lesson.position, Lesson.title, Lesson.video_path,
            Lesson.captions_path, Lesson.duration_seconds, Lesson.credit_minutes, Lesson.downloads,
            Lesson.preview, Lesson.revision, Lesson.publish_at, Lesson.body_html, Lesson.transcript_html,
            Module.title.label("module_title"), Module.position.label("module_position"),
        )
        .join(Module, Lesson.module_id == Module.id)
        .where(Lesson.course_id == sa.bindparam("course_id"))
        .where(Lesson.retired_at.is_(None), Module.retired_at.is_(None))
        .where(Lesson.status == Status.PUBLISHED)
        .order_by(Module.position, Lesson.position)
    )
