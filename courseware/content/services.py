"""Course files -> database: `check_courses` validates a tree, `sync_courses` loads it.

    report = sync_courses(Path(app.config["COURSES_DIR"]), utcnow())   # raises InvalidCourseTree
    db.session.commit()                                                # the caller commits

A tree with any error is refused as a whole, so a half-fixed tree never half-loads.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from courseware.content import signals
from courseware.content.hashing import course_hash, lesson_hash
from courseware.content.media import MediaHasher, compare_durations
from courseware.content.models import Course
from courseware.content.parsing import parse_courses
from courseware.content.tree import CourseFile
from courseware.content.validation import format_duration
from courseware.content.writer import CourseChanges, write_course
from courseware.content.yamldoc import ContentError, InvalidCourseTree
from courseware.extensions import db

__all__ = [
    "CheckReport", "ContentError", "CourseChanges", "InvalidCourseTree", "SyncReport", "check_courses",
    "sync_courses",
]


@dataclass
class CheckReport:
    courses: list[CourseFile]
    errors: list[ContentError]
    warnings: list[str] = field(default_factory=list)

    def summaries(self) -> list[str]:
        return [_summary(course) for course in self.courses]


@dataclass
class SyncReport:
    courses: list[CourseChanges]
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [_describe(changes) for changes in self.courses]
        counts = {state: sum(c.state == state for c in self.courses)
                  for state in ("created", "updated", "unchanged", "missing")}
        lines.append(", ".join(f"{n} {state}" for state, n in counts.items() if n) or "no courses")
        return lines


def check_courses(courses_dir: Path, *, compare_media: bool = True) -> CheckReport:
    """Every error in the tree; with compare_media, front-matter durations against the real media."""
    tree = parse_courses(courses_dir)
    report = CheckReport(tree.courses, list(tree.errors), list(tree.warnings))
    if compare_media:
        errors, warnings = compare_durations(tree.courses)
        report.errors.extend(errors)
        report.warnings.extend(warnings)
    return report


def sync_courses(courses_dir: Path, now: datetime, *, compare_media: bool = False) -> SyncReport:
    """Load the tree idempotently; raises InvalidCourseTree, before writing anything, if it has errors."""
    checked = check_courses(courses_dir, compare_media=compare_media)
    if checked.errors:
        raise InvalidCourseTree(checked.errors)
    stored = {course.slug: course for course in db.session.scalars(db.select(Course))}
    media_hash = MediaHasher()
    report = SyncReport([], checked.warnings)
    for parsed in checked.courses:
        hashes = {lesson.slug: lesson_hash(parsed, lesson, media_hash) for lesson in parsed.lessons}
        digest = course_hash(parsed, hashes)
        course = stored.get(parsed.slug)
        if course is not None and course.content_hash == digest:
            report.courses.append(CourseChanges(parsed.slug, "unchanged", course.revision))
        else:
            report.courses.append(write_course(parsed, course, hashes, digest, now))
    # A removed folder leaves its course alone: enrolments and certificates point at it.
    in_files = {parsed.slug for parsed in checked.courses}
    report.courses.extend(
        CourseChanges(slug, "missing", course.revision) for slug, course in sorted(stored.items())
        if slug not in in_files
    )
    db.session.flush()
    if any(changes.state in ("created", "updated") for changes in report.courses):
        signals.courses_synced.send(report=report)
    for changes in report.courses:
        for lesson in changes.went_live:
            signals.lesson_published.send(lesson, course_id=lesson.course_id, lesson_id=lesson.id)
    return report


def _summary(course: CourseFile) -> str:
    lessons = course.lessons
    video = sum(lesson.duration_seconds or 0 for lesson in lessons if lesson.is_published)
    questions = len(course.post_test["questions"]) if course.post_test else 0
    return (
        f"{course.slug}: {course.status}, {_count(len(course.modules), 'module')}, "
        f"{_count(len(lessons), 'lesson')}, {course.contact_hours} contact hours "
        f"({course.credit_minutes} credit minutes), {format_duration(video)} of video, "
        f"{_count(questions, 'post-test question')}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _describe(changes: CourseChanges) -> str:
    if changes.state == "missing":
        return f"{changes.slug}: folder missing; the course was left as it is (revision {changes.revision})"
    head = f"{changes.slug}: {changes.state}, revision {changes.revision}"
    if changes.state == "created":
        added = changes.modules.get("added", []), changes.lessons.get("added", [])
        return f"{head} ({_count(len(added[0]), 'module')}, {_count(len(added[1]), 'lesson')})"
    details = [
        f"{kind} {what}: {', '.join(slugs)}"
        for kind, groups in (("modules", changes.modules), ("lessons", changes.lessons))
        for what, slugs in groups.items()
    ]
    return head + (f" ({'; '.join(details)})" if details else "")
