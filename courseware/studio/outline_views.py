"""Arranging a course in the studio: the order of modules and lessons (drag and drop, or Move up /
Move down buttons that work without JavaScript), and adding, renaming and removing modules."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from courseware.accounts.permissions import author_required
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.studio import editor, outline
from courseware.studio.outline_forms import ModuleForm, MoveForm, RemoveModuleForm, parse_order
from courseware.web import json_error

bp = Blueprint("studio_outline", __name__, url_prefix="/studio/courses")

CONFLICT = (
    "The outline changed since this page was loaded (someone else arranged it, or published a lesson). "
    "Reload the page and try again."
)
SAME_MOMENT = "The course was changed at the same moment. Go back, reload the page and try again."


@bp.post("/<slug>/outline")
@author_required
def save_order(slug: str):
    """JSON {"version": "...", "modules": [{"id": 1, "lessons": [3, 2]}, ...]}: the whole new order."""
    course = editor.find_course(slug) or abort(404)
    payload = request.get_json(silent=True)
    order = parse_order(payload)
    if order is None:
        return json_error(400, 'Send JSON like {"version": "4", "modules": [{"id": 1, "lessons": [3, 2]}]}.')
    try:
        outline.reorder(course, order, str(payload.get("version", "")), utcnow())
        db.session.commit()
    except outline.OrderRefused as refused:
        return json_error(400, str(refused))
    except (editor.EditConflict, IntegrityError):  # a stale page, or a change saved at the same moment
        return json_error(409, CONFLICT)
    return jsonify(message="New order saved.", version=outline.version_of(course))


@bp.post("/<slug>/outline/move")
@author_required
def move(slug: str):
    """The keyboard and no-JavaScript way: one module or lesson up, down, or into another module."""
    course = editor.find_course(slug) or abort(404)
    form = MoveForm()
    if not form.validate():
        abort(400, "Choose what to move and where.")
    try:
        step = 0 if form.module_id.data else -1 if form.up.data else 1
        outline.move_one(course, form.kind.data, form.item_id.data, step, form.module_id.data,
                         form.version.data or "", utcnow())
        db.session.commit()
    except outline.OrderRefused as refused:
        db.session.rollback()
        abort(400, str(refused))
    except (editor.EditConflict, IntegrityError):
        db.session.rollback()
        abort(409, CONFLICT)
    flash("Moved: the new order is saved.", "success")
    anchor = f"{form.kind.data}-{form.item_id.data}"  # back where the keyboard was
    return redirect(url_for("studio_editor.outline", slug=slug, _anchor=anchor))


@bp.route("/<slug>/modules/new", methods=["GET", "POST"])
@author_required
def new_module(slug: str):
    course = editor.find_course(slug) or abort(404)
    form = ModuleForm()
    if not form.validate_on_submit():
        return _render_module(course, None, form, 400 if form.is_submitted() else 200)
    try:
        module = outline.add_module(course, form.title.data, form.intro_md(), utcnow())
        db.session.commit()
    except IntegrityError:  # another change to the course at the same moment
        db.session.rollback()
        abort(409, SAME_MOMENT)
    flash(f"Module “{module.title}” added, last in the course.", "success")
    return redirect(url_for("studio_editor.outline", slug=slug, _anchor=f"module-{module.id}"))


@bp.route("/<slug>/modules/<int:module_id>/edit", methods=["GET", "POST"])
@author_required
def edit_module(slug: str, module_id: int):
    course = editor.find_course(slug) or abort(404)
    module = outline.find_module(course, module_id) or abort(404)
    form = ModuleForm() if request.method == "POST" else ModuleForm(title=module.title, intro=module.intro_md)
    if not form.validate_on_submit():
        return _render_module(course, module, form, 400 if form.is_submitted() else 200)
    try:
        outline.rename_module(course, module, form.title.data, form.intro_md(), utcnow())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, SAME_MOMENT)
    flash("Module saved.", "success")
    return redirect(url_for("studio_editor.outline", slug=slug, _anchor=f"module-{module_id}"))


@bp.post("/<slug>/modules/<int:module_id>/remove")
@author_required
def remove_module(slug: str, module_id: int):
    course = editor.find_course(slug) or abort(404)
    module = outline.find_module(course, module_id) or abort(404)
    if not RemoveModuleForm().validate_on_submit():
        abort(400)
    title = module.title
    try:
        done = outline.remove_module(course, module, utcnow())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, SAME_MOMENT)
    except outline.ModuleRefused as refused:
        db.session.rollback()
        flash(f"“{title}” was not removed. {refused}", "error")
        return redirect(url_for("studio_editor.outline", slug=slug, _anchor=f"module-{module_id}"))
    flash(f"Module “{title}” {done}.", "success")
    return redirect(url_for("studio_editor.outline", slug=slug))


def _render_module(course: Course, module, form: ModuleForm, status: int):
    return render_template("studio/course_module.html", course=course, module=module, form=form), status
