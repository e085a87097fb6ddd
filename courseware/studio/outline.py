"""A course's structure in the studio: the order of modules and lessons, and the modules themselves.

    reorder(course, [(module_id, [lesson_id, ...]), ...], version, now)   # raises EditConflict, OrderRefused
    move_one(course, "lesson", lesson_id, -1, None, version, now)        # Move up, as the buttons do
    add_module(course, title, intro_md, now)

Every change is one course revision (content/writer.py), as a sync is: learners' pages, cached per
revision, show the new order at once. Retired modules and lessons keep their rows (progress and
certificates point at them) and go after the current ones. Only flushes.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from courseware.content.models import Course, Lesson, Module
from courseware.content.writer import add_studio_revision
from courseware.extensions import db
from courseware.formatting import slugify
from courseware.markdown import render
from courseware.studio.courses import version_of
from courseware.studio.editor import EditConflict
from courseware.studio.editor_publish import course_lessons

Order = list[tuple[int, list[int]]]  # current modules in order, each with its current lessons in order


class OrderRefused(Exception):
    """The order sent is not a rearrangement of the course's current modules and lessons."""


class ModuleRefused(Exception):
    """The module cannot be removed; the message says why."""


def current_order(course: Course) -> Order:
    """Two statements: the current modules, and their current lessons."""
    modules, lessons = _structure(course)
    return _order_of(modules, lessons)


def reorder(course: Course, order: Order, version: str, now: datetime) -> None:
    """Rewrite the positions (contiguous from 1): one executemany UPDATE per table."""
    if version != version_of(course):
        raise EditConflict
    modules, lessons = _structure(course)
    if _signature(order) != _signature(_order_of(modules, lessons)):
        raise OrderRefused("Send every current module and lesson of the course exactly once.")
    module_rows = {module.id: module for module in modules}
    ordered = [module_rows[module_id] for module_id, _ in order]
    ordered += [module for module in modules if module.retired_at is not None]
    _bulk_update(Module, [{"id": m.id, "position": n} for n, m in enumerate(ordered, 1) if m.position != n])
    rows = {lesson.id: lesson for lesson in lessons}
    placed = [(rows[lesson_id], module_id) for module_id, ids in order for lesson_id in ids]
    placed += [(lesson, lesson.module_id) for lesson in lessons if _retired(lesson)]
    _bulk_update(Lesson, [
        {"id": lesson.id, "position": n, "module_id": module_id}
        for n, (lesson, module_id) in enumerate(placed, 1)
        if (lesson.position, lesson.module_id) != (n, module_id)
    ])
    for row in (*modules, *lessons):
        db.session.expire(row)  # read again, in the new order, by whoever looks next
    _revise(course, now)


def move_one(course: Course, kind: str, item_id: int, step: int, module_id: int | None, version: str,
             now: datetime) -> None:
    """One module or lesson a place up (step -1) or down (+1), or a lesson into another module."""
    order = current_order(course)
    if module_id:
        order = move_to_module(order, item_id, module_id)
    else:
        order = move(order, kind, item_id, step)
    reorder(course, order, version, now)


def move(order: Order, kind: str, item_id: int, step: int) -> Order:
    """The order with one module or lesson moved one place (step -1: up, +1: down). A lesson at the
    edge of its module moves into the next module along, so the keyboard reaches every place."""
    order = [(module_id, list(ids)) for module_id, ids in order]
    if kind == "module":
        index = next((i for i, (module_id, _) in enumerate(order) if module_id == item_id), None)
        if index is None:
            raise OrderRefused("That module is not in this course.")
        target = min(max(index + step, 0), len(order) - 1)
        order.insert(target, order.pop(index))
        return order
    index, ids = _find_lesson(order, item_id)
    place = ids.index(item_id) + step
    if 0 <= place < len(ids):
        ids.insert(place, ids.pop(place - step))
    elif 0 <= index + step < len(order):
        ids.remove(item_id)
        neighbour = order[index + step][1]
        neighbour.insert(len(neighbour) if step < 0 else 0, item_id)
    return order


def move_to_module(order: Order, lesson_id: int, module_id: int) -> Order:
    """The order with the lesson last in another module."""
    order = [(mid, [i for i in ids if i != lesson_id]) for mid, ids in order]
    _find_lesson_module(order, module_id).append(lesson_id)
    return order


def add_module(course: Course, title: str, intro_md: str, now: datetime) -> Module:
    """A new module, last; its slug (the folder name when exported) comes from the title."""
    taken = set(db.session.scalars(sa.select(Module.slug).where(Module.course_id == course.id)))
    last = db.session.scalar(sa.select(sa.func.max(Module.position)).where(Module.course_id == course.id))
    module = Module(course_id=course.id, slug=_free_slug(title, taken), position=(last or 0) + 1, title=title)
    _write_module(module, title, intro_md)
    db.session.add(module)
    db.session.flush()
    _revise(course, now)
    return module


def find_module(course: Course, module_id: int) -> Module | None:
    return db.session.scalar(
        sa.select(Module)
        .where(Module.id == module_id, Module.course_id == course.id, Module.retired_at.is_(None))
    )


def rename_module(course: Course, module: Module, title: str, intro_md: str, now: datetime) -> None:
    _write_module(module, title, intro_md)
    _revise(course, now)


def remove_module(course: Course, module: Module, now: datetime) -> str:
    """An empty module goes: deleted if no lesson ever was in it, else retired (its retired lessons'
    records point at it). Returns what happened, for the author."""
    modules, lessons = _structure(course)
    if any(lesson.module_id == module.id and not _retired(lesson) for lesson in lessons):
        raise ModuleRefused("Move its lessons to another module first: only an empty module can be removed.")
    if sum(1 for row in modules if row.retired_at is None) == 1:
        raise ModuleRefused("A course keeps at least one module: add another before removing this one.")
    if any(lesson.module_id == module.id for lesson in lessons):
        module.retired_at = now
        done = "retired (its retired lessons' records are kept)"
    else:
        db.session.delete(module)
        done = "removed"
    db.session.flush()
    _revise(course, now)
    return done


def _structure(course: Course) -> tuple[list[Module], list[Lesson]]:
    """Every module and lesson of the course, retired ones included, in course order."""
    modules = list(db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id).order_by(Module.position, Module.id)
    ))
    lessons = list(db.session.scalars(
        sa.select(Lesson).join(Module, Lesson.module_id == Module.id).options(contains_eager(Lesson.module))
        .where(Lesson.course_id == course.id).order_by(Lesson.position, Lesson.id)
    ))
    return modules, lessons


def _order_of(modules: list[Module], lessons: list[Lesson]) -> Order:
    order = {module.id: [] for module in modules if module.retired_at is None}
    for lesson in lessons:
        if not _retired(lesson):
            order[lesson.module_id].append(lesson.id)
    return list(order.items())


def _signature(order: Order) -> tuple[list[int], list[int]]:
    """What an order must contain: the same modules and lessons, each once, in any arrangement."""
    return sorted(module_id for module_id, _ in order), sorted(i for _, ids in order for i in ids)


def _retired(lesson: Lesson) -> bool:
    return lesson.retired_at is not None or lesson.module.retired_at is not None


def _find_lesson(order: Order, lesson_id: int) -> tuple[int, list[int]]:
    for index, (_module_id, ids) in enumerate(order):
        if lesson_id in ids:
            return index, ids
    raise OrderRefused("That lesson is not in this course.")


def _find_lesson_module(order: Order, module_id: int) -> list[int]:
    for mid, ids in order:
        if mid == module_id:
            return ids
    raise OrderRefused("Choose one of this course's modules.")


def _bulk_update(model: type[Module] | type[Lesson], rows: list[dict]) -> None:
    """One UPDATE statement, executed for every changed row (positions only ever change together)."""
    if rows:
        db.session.execute(sa.update(model), rows)


def _write_module(module: Module, title: str, intro_md: str) -> None:
    module.title = title
    module.intro_md = intro_md
    module.intro_html = render(intro_md, trusted=True)


def _free_slug(title: str, taken: set[str]) -> str:
    base = slugify(title, "module", max_length=60)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _revise(course: Course, now: datetime) -> None:
    course.updated_at = now
    modules = db.session.scalars(
        sa.select(Module)
        .where(Module.course_id == course.id, Module.retired_at.is_(None))
        .order_by(Module.position)
    ).all()
    add_studio_revision(course, course_lessons(course), now, list(modules))
    db.session.flush()
