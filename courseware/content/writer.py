"""Write one parsed course into the database: versions, retirements, kept counts. Only flushes.

Called by services.sync_courses for a course whose content hash differs from the stored one; an
unchanged course never reaches this module, so an idle sync issues no INSERT or UPDATE.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from courseware.content import questions
from courseware.content.export import CourseRecords, course_texts
from courseware.content.models import Course, CourseRevision, Lesson, Module
from courseware.content.tree import CourseFile, LessonFile
from courseware.extensions import db
from courseware.formatting import transcript_html
from courseware.markdown import render


@dataclass
class CourseChanges:
    """What one sync did to one course, by slug."""

    slug: str
    state: str  # created | updated | unchanged | missing (folder removed; the row is left alone)
    revision: int = 0
    modules: dict[str, list[str]] = field(default_factory=dict)  # added / changed / retired / restored
    lessons: dict[str, list[str]] = field(default_factory=dict)
    # Lessons learners could not see before this sync and see now, and scheduled ones whose time came
    # before `flask courses publish-due` announced them: the sync announces them.
    went_live: list[Lesson] = field(default_factory=list)

    def note(self, kind: str, what: str, slug: str) -> None:
        getattr(self, kind).setdefault(what, []).append(slug)


def write_course(parsed: CourseFile, course: Course | None, lesson_hashes: dict[str, str], digest: str,
                 now: datetime) -> CourseChanges:
    changes = CourseChanges(parsed.slug, "created" if course is None else "updated")
    if course is None:
        course = Course(slug=parsed.slug, revision=0, created_at=now)
        _apply_course(parsed, course, digest, now)
        db.session.add(course)
        db.session.flush()  # modules and lessons need the course id
    else:
        _apply_course(parsed, course, digest, now)
    modules = _write_modules(parsed, course, now, changes)
    _write_lessons(parsed, course, modules, lesson_hashes, now, changes)
    add_course_revision(course, digest, lesson_hashes, now)
    changes.revision = course.revision
    return changes


def add_course_revision(course: Course, digest: str, lesson_hashes: dict[str, str], now: datetime) -> None:
    """The course's next revision, and its CourseRevision row: the one place both sync and the studio
    record which content a certificate is earned on. The new number also tells every worker's
    structure cache (content/structure.py) that the course changed."""
    course.revision += 1
    db.session.add(CourseRevision(course_id=course.id, number=course.revision, content_hash=digest,
                                  lesson_hashes=lesson_hashes, created_at=now))


def _apply_course(parsed: CourseFile, course: Course, digest: str, now: datetime) -> None:
    for name in (
        "title", "summary", "instructor", "price_cents", "currency", "contact_hours", "level", "category",
        "objectives", "approval", "certificate", "watch_percent", "completion", "community", "sequential",
        "status", "publish_at",
    ):
        setattr(course, name, getattr(parsed, name))
    course.post_test = questions.with_html(parsed.post_test)
    course.evaluation = questions.with_html(parsed.evaluation)
    course.description_md = parsed.description
    course.description_html = render(parsed.description, trusted=True)
    course.content_hash = digest
    course.updated_at = now
    # Every lesson that is not retired is in the files, so the kept counts come from them.
    published = [lesson for lesson in parsed.lessons if lesson.is_published]
    course.lesson_count = len(published)
    course.video_seconds = sum(lesson.duration_seconds or 0 for lesson in published)


def _write_modules(parsed: CourseFile, course: Course, now: datetime,
                   changes: CourseChanges) -> dict[str, Module]:
    rows = {row.slug: row for row in db.session.scalars(db.select(Module).filter_by(course_id=course.id))}
    for position, module in enumerate(parsed.modules, 1):
        values = {
            "position": position, "title": module.title, "intro_md": module.intro,
            "intro_html": render(module.intro, trusted=True),
        }
        row = rows.get(module.slug)
        if row is None:
            row = rows[module.slug] = Module(course_id=course.id, slug=module.slug, **values)
            db.session.add(row)
            changes.note("modules", "added", module.slug)
            continue
        if row.retired_at is not None:
            changes.note("modules", "restored", module.slug)
        elif any(getattr(row, name) != value for name, value in values.items()):
            changes.note("modules", "changed", module.slug)
        _assign(row, retired_at=None, **values)
    in_files = {module.slug for module in parsed.modules}
    for slug, row in rows.items():
        if slug not in in_files and row.retired_at is None:
            row.retired_at = now
            changes.note("modules", "retired", slug)
    db.session.flush()  # new modules need ids for their lessons
    return rows


def _write_lessons(parsed: CourseFile, course: Course, modules: dict[str, Module], hashes: dict[str, str],
                   now: datetime, changes: CourseChanges) -> None:
    rows = {row.slug: row for row in db.session.scalars(db.select(Lesson).filter_by(course_id=course.id))}
    position = 0
    for module in parsed.modules:
        for lesson in module.lessons:
            position += 1
            row = rows.get(lesson.slug) or _new_lesson(course, lesson, changes)
            was_live = row.revision > 0 and row.is_live(now)
            _write_lesson(row, lesson, hashes[lesson.slug], changes)
            _assign(row, position=position, module_id=modules[module.slug].id)
            if not row.is_live(now):
                row.announced_at = None  # announced (again) once it is live
            elif not was_live or row.awaits_announcement(now):
                row.announced_at = now
                changes.went_live.append(row)
    in_files = {lesson.slug for lesson in parsed.lessons}
    for slug, row in rows.items():
        # Retired, never deleted: progress, certificates and audit records point at the row.
        if slug not in in_files and row.retired_at is None:
            row.retired_at = now
            changes.note("lessons", "retired", slug)


def _new_lesson(course: Course, lesson: LessonFile, changes: CourseChanges) -> Lesson:
    row = Lesson(course_id=course.id, slug=lesson.slug, revision=0)
    db.session.add(row)
    changes.note("lessons", "added", lesson.slug)
    return row


def _write_lesson(row: Lesson, lesson: LessonFile, digest: str, changes: CourseChanges) -> None:
    """A new content hash, or a return from retirement, is a new revision of the lesson."""
    if row.revision and row.retired_at is not None:
        changes.note("lessons", "restored", lesson.slug)
    elif row.revision and row.content_hash != digest:
        changes.note("lessons", "changed", lesson.slug)
    elif row.revision:
        return
    row.revision += 1
    _assign(
        row, retired_at=None, title=lesson.title, video_path=lesson.video, captions_path=lesson.captions,
        duration_seconds=lesson.duration_seconds, credit_minutes=lesson.credit,
        credit_minutes_declared=lesson.credit_minutes, downloads=lesson.downloads, preview=lesson.preview,
        status=lesson.status, publish_at=lesson.publish_at, body_md=lesson.body,
        body_html=render(lesson.body, trusted=True), transcript=lesson.transcript,
        transcript_html=transcript_html(lesson.transcript), content_hash=digest,
    )


def _assign(row: Module | Lesson, **values: object) -> None:
    """Set only what differs, so an unchanged row stays out of the UPDATE statements."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def add_studio_revision(course: Course, lessons: list[Lesson], now: datetime,
                        modules: list[Module] | None = None) -> None:
    """A revision for a change made in the studio. There are no files to hash, so the content is hashed
    as `flask courses export` would write it: the course's texts, and each lesson's own text.

    `lessons`: the course's current lessons in course order, each with its module loaded; `modules`, when
    given, the current modules in order (else those of the lessons): no statement here but the INSERT.
    """
    grouped: dict[int, tuple[Module, list[Lesson]]] = {module.id: (module, []) for module in modules or []}
    for lesson in lessons:
        grouped.setdefault(lesson.module_id, (lesson.module, []))[1].append(lesson)
    texts = course_texts(CourseRecords(course, list(grouped.values())))
    lesson_hashes = {key[1]: _sha256(text) for key, text in texts.items() if key[0] == "lesson"}
    digest = _sha256("\0".join(f"{'/'.join(key)}\n{text}" for key, text in texts.items()))
    add_course_revision(course, digest, lesson_hashes, now)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
