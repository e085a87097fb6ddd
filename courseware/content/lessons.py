"""Module folders (`NN-slug/module.md`) and lesson files (`NN-slug.md`) -> ModuleFile, LessonFile."""

from pathlib import Path

from courseware.content.context import CourseContext
from courseware.content.tree import LessonFile, ModuleFile
from courseware.content.validation import (
    STATUSES,
    VIDEO_SUFFIXES,
    parse_duration,
    parse_publish_at,
    split_numbered_name,
)
from courseware.content.yamldoc import Fields, SourceFile, read_front_matter, scalar_text

LESSON_FIELDS = (
    "title", "video", "captions", "duration", "credit_minutes", "downloads", "preview", "status",
    "publish_at",
)
# Fields whose errors make the course's credit sum meaningless, so it is not checked then.
CREDIT_FIELDS = {None, "credit_minutes", "status"}


def read_module(ctx: CourseContext, folder: Path, slug: str) -> ModuleFile:
    module_md = folder / "module.md"
    module = ModuleFile(slug=slug, source=ctx.display(module_md))
    if not module_md.is_file():
        ctx.source(module_md).error(None, None, "is missing (every module folder needs one, with a title)")
    elif parsed := read_front_matter(ctx.source(module_md)):
        fields, module.intro = parsed
        fields.check_unknown(("title",))
        module.title = fields.text("title", max_length=200) or ""
    # A module without lessons yet is a course being written (the studio makes one with "Add module"):
    # learners see a module only once it has a live lesson.
    module.lessons = [read_lesson(ctx, path, lesson_slug) for path, lesson_slug in _lesson_files(ctx, folder)]
    return module


# /learn/<course>/<these> are the course's own pages, so no lesson may take the address.
RESERVED_LESSON_SLUGS = frozenset({"post-test", "evaluation", "certificate"})


def _lesson_files(ctx: CourseContext, folder: Path) -> list[tuple[Path, str]]:
    found = []
    for path in folder.glob("*.md"):
        if path.name == "module.md":
            continue
        numbered = split_numbered_name(path.stem)
        if numbered is None:
            ctx.source(path).error(None, None, "lesson file names must look like 01-lesson-slug.md")
        elif numbered[1] in RESERVED_LESSON_SLUGS:
            taken = f'"{numbered[1]}" is taken by a course page (/learn/<course>/{numbered[1]})'
            ctx.source(path).error(None, None, f"{taken}: rename the file")
        else:
            found.append((numbered[0], path.name, path, numbered[1]))
    return [(path, slug) for _number, _name, path, slug in sorted(found)]


def read_lesson(ctx: CourseContext, path: Path, slug: str) -> LessonFile:
    source = ctx.source(path)
    lesson = LessonFile(slug=slug, source=source.display)
    errors_before = len(ctx.errors)
    if parsed := read_front_matter(source):
        fields, lesson.body = parsed
        fields.check_unknown(LESSON_FIELDS)
        _read_lesson_fields(ctx, source, fields, lesson)
    lesson.problems = {e.field for e in ctx.errors[errors_before:] if e.path == lesson.source}
    return lesson


def _read_lesson_fields(ctx: CourseContext, source: SourceFile, fields: Fields, lesson: LessonFile) -> None:
    lesson.title = fields.text("title", max_length=200) or ""
    _read_media(ctx, source, fields, lesson)
    lesson.credit_minutes = fields.integer("credit_minutes", minimum=0)
    lesson.downloads = _downloads(ctx, source, fields)
    lesson.preview = fields.flag("preview")
    lesson.status = fields.choice("status", STATUSES, default="published") or "published"
    lesson.publish_at = fields.parse("publish_at", parse_publish_at)
    lesson.lines = {"duration": fields.line("duration")}


def _read_media(ctx: CourseContext, source: SourceFile, fields: Fields, lesson: LessonFile) -> None:
    """Video, captions and duration go together: captions and a duration are required with a video
    (captions make it accessible; the duration is what watch time is measured against)."""
    has_video = fields.has("video")
    if raw := fields.raw("video"):
        lesson.video = ctx.media(source, fields.line("video"), "video", raw, VIDEO_SUFFIXES)
    if has_video and not fields.has("captions"):
        fields.error("captions", "is required with a video, so that the lesson is accessible")
    elif not has_video and fields.has("captions"):
        fields.error("captions", "is only allowed with a video")
    elif raw := fields.raw("captions"):
        lesson.captions = ctx.media(source, fields.line("captions"), "captions", raw, (".vtt",))
    if has_video and not fields.has("duration"):
        fields.error("duration", "is required with a video (m:ss or h:mm:ss)")
    elif not has_video and fields.has("duration"):
        fields.error("duration", "is only allowed with a video")
    else:
        lesson.duration_seconds = fields.parse("duration", parse_duration)
    if lesson.captions:
        lesson.transcript = ctx.transcript(lesson.captions) or []


def _downloads(ctx: CourseContext, source: SourceFile, fields: Fields) -> list[str]:
    downloads = []
    for index, node in enumerate(fields.sequence("downloads") or []):
        line, name = fields.node_line(node), f"downloads[{index}]"
        value = scalar_text(node)
        if value is None:
            source.error(line, name, "must be a file path like media/handout.pdf")
        elif path := ctx.media(source, line, name, value):
            downloads.append(path)
    return downloads
