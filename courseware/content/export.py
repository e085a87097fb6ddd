"""Database -> course files: `flask courses export`, the studio's way back to `courses/` (DESIGN §4).

    report = export_courses(Path("courses"), source=Path("courses"), slugs=[])
    for line in report.lines(): print(line)          # wrote courses/own-your-role/course.md ...

Each course folder gets course.md, its module folders and lesson files, post-test.yaml and
evaluation.yaml, written atomically; a file whose content already says the same is left untouched
(comments and layout included), so exporting into the folder the courses were synced from changes
nothing, and a sync afterwards is a no-op. Lesson and module files that the database no longer has
(retired, moved, renumbered) are removed, so that a sync does not bring them back; every other file is
left alone. Referenced media are copied from the source folder when the target is another one, and
media uploaded in the studio from the media store, so the exported folder holds every file it names.
Only reads the database.
"""

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from courseware.content import export_files as files
from courseware.content.context import CourseContext
from courseware.content.export_tree import CourseFolder, CourseUploads, Layout, TreeProblem, write_atomically
from courseware.content.models import Course, Lesson, Module
from courseware.content.parsing import parse_course
from courseware.content.tree import CourseFile, LessonFile
from courseware.content.validation import SLUG
from courseware.content.yamldoc import ContentError
from courseware.extensions import db
from courseware.storage import media_store

FileKey = tuple[str, ...]  # what a file holds: ("course",), ("module", slug), ("lesson", slug), ...
# Course fields named alike on the parsed CourseFile and the Course row.
_COURSE_FIELDS = (
    "title",
    "slug",
    "summary",
    "instructor",
    "price_cents",
    "currency",
    "contact_hours",
    "level",
    "category",
    "objectives",
    "approval",
    "certificate",
    "watch_percent",
    "completion",
    "community",
    "sequential",
    "status",
    "publish_at",
    "post_test",
    "evaluation",
)


class UnknownCourses(Exception):
    """--course named slugs that no course has; nothing was written."""

    def __init__(self, slugs: list[str]) -> None:
        super().__init__(", ".join(slugs))
        self.slugs = slugs


@dataclass
class CourseRecords:
    """One course as it is exported: its modules in order, each with its lessons in order. The rows,
    or the same fields read from files (records_from_files), which are exported alike."""

    course: Course | SimpleNamespace
    modules: list[tuple[Module | SimpleNamespace, list[Lesson | SimpleNamespace]]]

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for _module, lessons in self.modules for lesson in lessons]


@dataclass
class CourseExport:
    """What one export did to one course folder; paths as `display` names them."""

    slug: str
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    copied: int = 0

    def summary(self) -> str:
        parts = [f"{len(self.written)} written", f"{self.unchanged} unchanged"]
        parts += [f"{len(self.removed)} removed"] if self.removed else []
        parts += [f"{self.copied} media copied"] if self.copied else []
        return f"{self.slug}: {', '.join(parts)}"


@dataclass
class ExportReport:
    courses: list[CourseExport] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = []
        for course in self.courses:
            lines += [f"renamed {change}" for change in course.renamed]
            lines += [f"wrote {path}" for path in course.written]
            lines += [f"removed {path}" for path in course.removed]
            lines.append(course.summary())
        return lines


def export_courses(target: Path, source: Path, slugs: list[str]) -> ExportReport:
    """Write the named courses (all when `slugs` is empty) into `target`; media come from `source`.

    Raises UnknownCourses before writing anything. Problems with single files (a missing media file,
    a folder that cannot be written) are collected in the report's errors; the rest is still written.
    """
    records = load_courses(slugs)
    unknown = sorted(set(slugs) - {record.course.slug for record in records})
    if unknown:
        raise UnknownCourses(unknown)
    report = ExportReport()
    for record in records:
        report.courses.append(_export_course(record, target, source, report.errors))
    return report


def load_courses(slugs: list[str]) -> list[CourseRecords]:
    """Three statements for any number of courses; retired modules and lessons are left out."""
    query = db.select(Course).order_by(Course.slug)
    courses = db.session.scalars(query.where(Course.slug.in_(slugs)) if slugs else query).all()
    ids = [course.id for course in courses]
    modules = db.session.scalars(
        db.select(Module)
        .where(Module.course_id.in_(ids), Module.retired_at.is_(None))
        .order_by(Module.position, Module.id)
    ).all()
    lessons = db.session.scalars(
        db.select(Lesson)
        .where(Lesson.course_id.in_(ids), Lesson.retired_at.is_(None))
        .order_by(Lesson.position, Lesson.id)
    ).all()
    by_module: dict[int, list[Lesson]] = {module.id: [] for module in modules}
    for lesson in lessons:
        # A live lesson of a retired module has no folder to go in; the studio retires both together.
        by_module.get(lesson.module_id, []).append(lesson)
    return [
        CourseRecords(course, [(m, by_module[m.id]) for m in modules if m.course_id == course.id])
        for course in courses
    ]


def _export_course(
    record: CourseRecords, target: Path, source: Path, errors: list[ContentError]
) -> CourseExport:
    result = CourseExport(record.course.slug)
    folder = CourseFolder(target / result.slug, display_root=target.parent)
    bad_slug = _bad_slug(record)
    if bad_slug:
        errors.append(ContentError(folder.display(folder.path), None, None, bad_slug))
        return result
    try:
        _write_course(record, folder, source / result.slug, result)
    except TreeProblem as problem:
        errors.append(ContentError(problem.path, None, None, problem.reason))
    except OSError as exc:  # a rename or a removal refused
        where = folder.display(Path(exc.filename)) if exc.filename else folder.display(folder.path)
        errors.append(ContentError(where, None, None, f"cannot be changed ({exc.strerror})"))
    errors.extend(folder.errors)
    return result


def _write_course(record: CourseRecords, folder: CourseFolder, source: Path, result: CourseExport) -> None:
    on_disk = _texts_on_disk(folder.path, folder.display_root)
    layout = folder.arrange(record.modules)
    result.renamed = folder.renamed
    for key, text in course_texts(record).items():
        _write_file(folder, _relative_path(key, layout), text, on_disk.get(key), result)
    course = record.course
    result.removed = folder.remove_stale(
        layout, with_post_test=bool(course.post_test), with_evaluation=bool(course.evaluation)
    )
    # Files uploaded in the studio come from the media store, the rest from the source folder.
    uploads = CourseUploads(media_store(), course.id)
    result.copied = folder.copy_media(uploads, source, _media_paths(record))


def course_texts(record: CourseRecords) -> dict[FileKey, str]:
    """Every text file of the course, by what it holds: ("course",), ("lesson", slug), ..."""
    course = record.course
    texts: dict[FileKey, str] = {("course",): files.course_md(course)}
    for module, lessons in record.modules:
        texts[("module", module.slug)] = files.module_md(module)
        texts.update({("lesson", lesson.slug): files.lesson_md(lesson) for lesson in lessons})
    if course.post_test:
        texts[("post-test",)] = files.post_test_yaml(course.post_test)
    if course.evaluation:
        texts[("evaluation",)] = files.evaluation_yaml(course.evaluation)
    return texts


def _texts_on_disk(course_dir: Path, root: Path) -> dict[FileKey, str]:
    """What the files already in the folder say, written the exporter's way; empty unless they parse
    cleanly. A file whose text here equals the export's says the same thing, however it is laid out
    (comments, quoting, keys left at their defaults), so it is left as the author wrote it."""
    if not (course_dir / "course.md").is_file():
        return {}
    errors: list[ContentError] = []
    parsed = parse_course(CourseContext(course_dir, root, errors))
    if parsed is None or errors:
        return {}
    return course_texts(records_from_files(parsed))


def records_from_files(parsed: CourseFile) -> CourseRecords:
    """A parsed course in the shape of its database records, as sync would store it (writer.py)."""
    course = SimpleNamespace(**{name: getattr(parsed, name) for name in _COURSE_FIELDS})
    course.description_md = parsed.description
    modules = [
        (
            SimpleNamespace(slug=module.slug, title=module.title, intro_md=module.intro),
            [_lesson_record(lesson) for lesson in module.lessons],
        )
        for module in parsed.modules
    ]
    return CourseRecords(course, modules)


def _lesson_record(lesson: LessonFile) -> SimpleNamespace:
    return SimpleNamespace(
        slug=lesson.slug,
        title=lesson.title,
        video_path=lesson.video,
        captions_path=lesson.captions,
        duration_seconds=lesson.duration_seconds,
        credit_minutes_declared=lesson.credit_minutes,
        downloads=lesson.downloads,
        preview=lesson.preview,
        status=lesson.status,
        publish_at=lesson.publish_at,
        body_md=lesson.body,
    )


def _relative_path(key: FileKey, layout: Layout) -> str:
    if key[0] == "lesson":
        return next(f"{folder}/{names[key[1]]}" for folder, names in layout.values() if key[1] in names)
    if key[0] == "module":
        return f"{layout[key[1]][0]}/module.md"
    return {"course": "course.md", "post-test": "post-test.yaml", "evaluation": "evaluation.yaml"}[key[0]]


def _write_file(
    folder: CourseFolder, relative: str, text: str, said: str | None, result: CourseExport
) -> None:
    """Write unless the file holds these bytes already, or says the same (`said` is its text rewritten)."""
    path = folder.path / relative
    try:
        old = path.read_bytes() if path.is_file() else None
    except OSError:
        old = None  # unreadable: replaced by what the database holds
    if old is not None and (old == text.encode("utf-8") or said == text):
        result.unchanged += 1
        return
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise TreeProblem(folder.display(path), f"cannot be written ({exc.strerror})") from exc
    result.written.append(folder.display(path))


def _media_paths(record: CourseRecords) -> list[str]:
    paths = [
        path
        for lesson in record.lessons
        for path in (lesson.video_path, lesson.captions_path, *(lesson.downloads or []))
        if path
    ]
    signature = (record.course.certificate or {}).get("signature")
    return sorted(set(paths + ([signature] if signature else [])))


def _bad_slug(record: CourseRecords) -> str | None:
    """Slugs become folder and file names, so one the parser would refuse is not written at all."""
    slugs = [record.course.slug, *(m.slug for m, _ in record.modules), *(x.slug for x in record.lessons)]
    wrong = next((slug for slug in slugs if not SLUG.match(slug)), None)
    if wrong is None:
        return None
    return f'"{wrong}" is not a slug (lowercase letters, digits, single hyphens); not exported'
