"""Course folders -> CourseFile trees, with every error of the whole tree collected in one pass.

    tree = parse_courses(Path("courses"))
    for error in tree.errors: print(error)   # courses/own-your-role/course.md:4: price: ...

Nothing here touches the database; services.py decides what to write.
"""

from pathlib import Path

from yaml.nodes import Node, ScalarNode

from courseware.content.context import CourseContext
from courseware.content.lessons import CREDIT_FIELDS, read_module
from courseware.content.questions import read_evaluation, read_post_test
from courseware.content.tree import CourseFile, ModuleFile, ParsedTree
from courseware.content.validation import (
    LEVELS,
    STATUSES,
    parse_contact_hours,
    parse_price,
    parse_publish_at,
    parse_slug,
    share_credit,
    split_numbered_name,
)
from courseware.content.yamldoc import ContentError, Fields, read_front_matter

COURSE_FIELDS = (
    "title", "slug", "summary", "instructor", "price", "contact_hours", "level", "category", "objectives",
    "approval", "completion", "community", "status", "publish_at", "sequential", "certificate",
)
CERTIFICATE_FIELDS = ("signer", "signer_title", "signature", "provider")
COMPLETION_DEFAULTS = {"watch_percent": 90, "post_test": None, "evaluation": False, "attestation": False}


def parse_courses(courses_dir: Path) -> ParsedTree:
    """Every course folder under `courses_dir` (hidden folders aside), in slug order."""
    errors: list[ContentError] = []
    root = courses_dir.parent
    if not courses_dir.is_dir():
        errors.append(ContentError(courses_dir.as_posix(), None, None, "the courses folder does not exist"))
        return ParsedTree([], errors)
    folders = sorted(p for p in courses_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    courses = [parse_course(CourseContext(folder, root, errors)) for folder in folders]
    # Like a linter: by file, then by line, whatever order the checks ran in.
    errors.sort(key=lambda error: (error.path, error.line or 0))
    return ParsedTree([course for course in courses if course is not None], errors)


def parse_course(ctx: CourseContext) -> CourseFile | None:
    course_md = ctx.course_dir / "course.md"
    course = CourseFile(slug=ctx.course_dir.name, path=ctx.course_dir, source=ctx.display(course_md))
    if not course_md.is_file():
        ctx.source(course_md).error(None, None, "is missing (every course folder needs one)")
        return None
    _read_course_md(ctx, course)
    course.modules = _read_modules(ctx)
    _check_unique_lesson_slugs(ctx, course)
    course.post_test = read_post_test(ctx)
    course.evaluation = read_evaluation(ctx)
    _check_course_wide_rules(ctx, course)
    return course


def _read_course_md(ctx: CourseContext, course: CourseFile) -> None:
    parsed = read_front_matter(ctx.source(ctx.course_dir / "course.md"))
    if parsed is None:
        return
    fields, course.description = parsed
    fields.check_unknown(COURSE_FIELDS)
    course.title = fields.text("title", max_length=200) or ""
    slug = fields.parse("slug", parse_slug, required=True)
    if slug is not None and slug != course.slug:
        fields.error("slug", f'"{slug}" does not match the folder name "{course.slug}"')
    course.summary = fields.text("summary") or ""
    course.instructor = fields.text("instructor", max_length=120) or ""
    # Required: a forgotten price must not quietly make a paid course free.
    course.price_cents, course.currency = fields.parse("price", parse_price, required=True) or (0, "USD")
    course.contact_hours = fields.parse("contact_hours", parse_contact_hours, required=True)
    course.level = fields.choice("level", LEVELS) or ""
    course.category = fields.text("category", max_length=80) or ""
    course.objectives = fields.text_list("objectives", required=True, min_items=1) or []
    course.approval = _approval(fields)
    course.certificate = _certificate_overrides(ctx, fields)
    _read_completion(fields, course)
    course.community = fields.flag("community")
    course.sequential = fields.flag("sequential")
    course.status = fields.choice("status", STATUSES, default="draft") or "draft"
    course.publish_at = fields.parse("publish_at", parse_publish_at)
    course.lines.update(contact_hours=fields.line("contact_hours"), status=fields.line("status"))


def _approval(fields: Fields) -> dict | None:
    """`none`, or `aota: {provider, number}`; a course without approval still earns a certificate."""
    if _is_off(fields.node("approval")):
        return None
    approval = fields.mapping("approval")
    if approval is None:
        return None
    approval.check_unknown(("aota",))
    aota = approval.mapping("aota")
    if aota is None:
        if not approval.has("aota"):
            approval.error("aota", "is required (or write `approval: none`)")
        return None
    aota.check_unknown(("provider", "number"))
    provider, number = aota.text("provider", max_length=200), aota.text("number", max_length=40)
    return {"aota": {"provider": provider, "number": number}} if provider and number else None


def _certificate_overrides(ctx: CourseContext, fields: Fields) -> dict:
    """`certificate: {signer, signer_title, signature, provider}`: who signs this course's certificates."""
    overrides = fields.mapping("certificate")
    if overrides is None:
        return {}
    overrides.check_unknown(CERTIFICATE_FIELDS)
    found = {key: overrides.text(key, required=False, max_length=200) for key in CERTIFICATE_FIELDS}
    signature = found.get("signature")
    if signature and not _is_signature_image(ctx.course_dir, signature):
        overrides.error("signature", f'"{signature}" must be a PNG or JPEG file inside the course folder')
        found["signature"] = None
    return {key: value for key, value in found.items() if value}


def _is_signature_image(course_dir: Path, name: str) -> bool:
    path = (course_dir / name).resolve()
    inside = path.is_relative_to(course_dir.resolve())
    return inside and path.suffix.lower() in (".png", ".jpg", ".jpeg") and path.is_file()


def _read_completion(fields: Fields, course: CourseFile) -> None:
    course.completion = dict(COMPLETION_DEFAULTS)
    completion = fields.mapping("completion")
    if completion is None:
        return
    completion.check_unknown(COMPLETION_DEFAULTS)
    course.watch_percent = completion.integer("watch_percent", minimum=1, maximum=100, default=90) or 90
    course.completion.update(
        watch_percent=course.watch_percent,
        post_test=_post_test_settings(completion),
        evaluation=completion.flag("evaluation"),
        attestation=completion.flag("attestation"),
    )
    course.lines["completion.post_test"] = completion.line("post_test")


def _post_test_settings(completion: Fields) -> dict | None:
    if _is_off(completion.node("post_test")):
        return None
    settings = completion.mapping("post_test")
    if settings is None:
        return None
    settings.check_unknown(("pass_percent", "attempts"))
    pass_percent = settings.integer("pass_percent", minimum=1, maximum=100, required=True)
    attempts = settings.integer("attempts", minimum=1, required=True)
    return {"pass_percent": pass_percent, "attempts": attempts}


def _is_off(node: Node | None) -> bool:
    """Absent, or written as `none` / `false`: the author's way of saying "not for this course"."""
    return node is None or (isinstance(node, ScalarNode) and node.value.lower() in ("none", "false"))


def _read_modules(ctx: CourseContext) -> list[ModuleFile]:
    """Numbered folders are modules, in number order; other folders (media/) hold files."""
    numbered = []
    for folder in sorted(p for p in ctx.course_dir.iterdir() if p.is_dir() and p.name[:1].isdigit()):
        parts = split_numbered_name(folder.name)
        if parts is None:
            ctx.source(folder).error(None, None, "module folder names must look like 01-module-slug")
        else:
            numbered.append((parts[0], folder.name, folder, parts[1]))
    modules: list[ModuleFile] = []
    for _number, _name, folder, slug in sorted(numbered):
        if any(module.slug == slug for module in modules):
            ctx.source(folder).error(None, None, f'module slug "{slug}" is used by another module folder')
            continue
        modules.append(read_module(ctx, folder, slug))
    return modules


def _check_unique_lesson_slugs(ctx: CourseContext, course: CourseFile) -> None:
    """Lesson URLs are /learn/<course>/<lesson>, so a slug names one lesson in the whole course."""
    first_seen: dict[str, str] = {}
    for lesson in course.lessons:
        if lesson.slug in first_seen:
            ctx.errors.append(ContentError(
                lesson.source, 1, "slug", f'"{lesson.slug}" is already used by {first_seen[lesson.slug]}'))
        else:
            first_seen[lesson.slug] = lesson.source


def _check_course_wide_rules(ctx: CourseContext, course: CourseFile) -> None:
    published = [lesson for lesson in course.lessons if lesson.is_published]
    if course.status == "published" and not published:
        _course_error(ctx, course, "status", "a published course needs at least one published lesson")
    if course.completion["post_test"] and not (ctx.course_dir / "post-test.yaml").is_file():
        _course_error(ctx, course, "completion.post_test", "is set, but post-test.yaml is missing")
    for lesson in course.lessons:
        lesson.credit = 0 if lesson.is_published else lesson.credit_minutes or 0
    if course.contact_hours is None:
        return  # already reported; a credit sum against it would only add noise
    if published and not any(CREDIT_FIELDS & lesson.problems for lesson in course.lessons):
        _share_credit(ctx, course, published)


def _share_credit(ctx: CourseContext, course: CourseFile, published: list) -> None:
    try:
        shares = share_credit(course.credit_minutes, [lesson.credit_minutes for lesson in published])
    except ValueError as exc:
        needed = f"contact_hours {course.contact_hours} needs {course.credit_minutes}"
        _course_error(ctx, course, "contact_hours", f"{exc}, but {needed}")
        return
    for lesson, minutes in zip(published, shares, strict=True):
        lesson.credit = minutes


def _course_error(ctx: CourseContext, course: CourseFile, field_name: str, message: str) -> None:
    ctx.errors.append(ContentError(course.source, course.lines.get(field_name, 1), field_name, message))
