"""The post-test and evaluation editors: one form each, whose buttons edit it and whose Save saves it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from courseware.accounts.permissions import author_required
from courseware.content.models import Course
from courseware.content.questions import EVALUATION_TYPES
from courseware.db import utcnow
from courseware.extensions import db
from courseware.studio import editor
from courseware.studio import post_test as service
from courseware.studio import post_test_forms as forms

bp = Blueprint("studio_questions", __name__, url_prefix="/studio")

_CONFLICT = (
    "Someone else saved the {what} after you opened this page. Nothing was saved and your changes are "
    "still below. Saving again replaces their version with yours."
)


@bp.route("/courses/<slug>/post-test", methods=["GET", "POST"])
@author_required
def post_test(slug: str):
    course = editor.find_course(slug) or abort(404)
    if request.method == "GET":
        return _post_test_page(course, service.post_test_draft(course))
    draft, action = forms.read_post_test(request.form), _action()
    if action.name != "save":
        focus = _edit(draft, action, service.blank_post_test_question)
        return _post_test_page(course, draft, focus=focus)
    errors = forms.post_test_errors(draft)
    if errors:
        return _post_test_page(course, draft, errors, 400)
    try:
        service.save_post_test(course, forms.post_test_questions(draft), int(draft.pass_percent),
                               int(draft.attempts), draft.version, utcnow())
        db.session.commit()
    except editor.EditConflict:
        return _conflict(slug, draft, "post-test", service.post_test_version, _post_test_page)
    flash("Post-test saved. New attempts get these questions; attempts already started keep theirs.",
          "success")
    return redirect(url_for(".post_test", slug=slug))


@bp.route("/courses/<slug>/evaluation", methods=["GET", "POST"])
@author_required
def evaluation(slug: str):
    course = editor.find_course(slug) or abort(404)
    if request.method == "GET":
        return _evaluation_page(course, service.evaluation_draft(course))
    draft, action = forms.read_evaluation(request.form), _action()
    if action.name not in ("save", "use-default"):
        focus = _edit(draft, action, service.blank_evaluation_question)
        return _evaluation_page(course, draft, focus=focus)
    errors = {} if action.name == "use-default" else forms.evaluation_errors(draft)
    if errors:
        return _evaluation_page(course, draft, errors, 400)
    questions = None if action.name == "use-default" else forms.evaluation_questions(draft)
    try:
        service.save_evaluation(course, questions, draft.version, utcnow())
        db.session.commit()
    except editor.EditConflict:
        return _conflict(slug, draft, "evaluation", service.evaluation_version, _evaluation_page)
    flash("The course now uses the platform's default evaluation." if questions is None else
          "Evaluation saved. Learners who evaluate from now on get these questions.", "success")
    return redirect(url_for(".evaluation", slug=slug))


def _action() -> forms.Action:
    return forms.read_action(request.form) or abort(400, "The form named a button this page does not have.")


def _edit(draft: forms.Draft, action: forms.Action, blank) -> str:
    """Apply an editing button; the id of the control to focus when the page comes back."""
    if not forms.edit(draft.questions, action, blank):
        abort(400, "That question or choice is not in the form any more. Reload the page and try again.")
    return forms.focus_after(action, draft.questions)


def _conflict(slug: str, draft: forms.Draft, what: str, version, page):
    """409 with what they typed; the form now carries the stored version, so saving again replaces it."""
    db.session.rollback()
    course = editor.find_course(slug) or abort(404)
    draft.version = version(course)
    return page(course, draft, {"form": _CONFLICT.format(what=what)}, 409)


def _post_test_page(course: Course, draft: forms.Draft, errors: dict | None = None, status: int = 200,
                    focus: str = ""):
    return render_template(
        "studio/post_test.html", course=course, draft=draft, errors=errors or {}, focus=focus
    ), status


def _evaluation_page(course: Course, draft: forms.Draft, errors: dict | None = None, status: int = 200,
                     focus: str = ""):
    return render_template(
        "studio/evaluation_editor.html", course=course, draft=draft, errors=errors or {}, focus=focus,
        types=EVALUATION_TYPES, uses_default=course.evaluation is None,
    ), status
