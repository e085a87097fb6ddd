"""The post-test, the course evaluation and the author's "allow another attempt".

Each view gathers its page (pages.py), calls one service, commits once, then redirects or renders.
"""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from courseware.accounts.permissions import author_required
from courseware.assessment import evaluation as evaluation_form
from courseware.assessment import grading, pages, services
from courseware.assessment.forms import GrantAttemptForm
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.web import is_safe_next

bp = Blueprint("assessment", __name__)

LESSONS_FIRST = "The post-test opens when you have completed every lesson."
ALREADY_SUBMITTED = "This attempt was already submitted: here is its result."
ALREADY_EVALUATED = "You already submitted the evaluation for this course. Nothing was changed."


@bp.get("/learn/<slug>/post-test")
@login_required
def post_test(slug: str):
    steps = _post_test_steps(slug, utcnow())
    return render_template("assessment/post_test.html", steps=steps)


@bp.post("/learn/<slug>/post-test")
@login_required
def start_post_test(slug: str):
    now = utcnow()
    steps = _post_test_steps(slug, now)
    if not steps.lessons_done:
        flash(LESSONS_FIRST, "error")
        return redirect(url_for("assessment.post_test", slug=slug))
    try:
        attempt = services.start_attempt(steps.enrolment, steps.course, steps.status, now)
    except services.AssessmentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("assessment.post_test", slug=slug))
    number = attempt.number
    db.session.commit()
    return redirect(url_for("assessment.attempt", slug=slug, number=number))


@bp.get("/learn/<slug>/post-test/<int:number>")
@login_required
def attempt(slug: str, number: int):
    page = pages.attempt_page(slug, number, current_user.id, utcnow()) or abort(404)
    return _render_attempt(page)


@bp.post("/learn/<slug>/post-test/<int:number>")
@login_required
def submit_attempt(slug: str, number: int):
    now = utcnow()
    page = pages.attempt_page(slug, number, current_user.id, now) or abort(404)
    if page.attempt.submitted_at is not None:  # the back button, or a second click
        flash(ALREADY_SUBMITTED, "info")
        return redirect(url_for("assessment.attempt", slug=slug, number=number))
    try:
        sheet = grading.read_answers(page.attempt.paper, request.form.to_dict(flat=False))
    except grading.ForgedAnswer as error:
        abort(400, description=f"{error} Nothing was graded: reload the post-test and answer on the page.")
    if sheet.unanswered:
        return _render_attempt(page, sheet.answers, set(sheet.unanswered))
    if not services.submit_attempt(page.attempt, sheet.answers, now):
        flash(ALREADY_SUBMITTED, "info")
    db.session.commit()
    return redirect(url_for("assessment.attempt", slug=slug, number=number))


@bp.post("/studio/enrolments/<int:enrolment_id>/grant-attempt")
@author_required
def grant_attempt(enrolment_id: int):
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    form = GrantAttemptForm()
    if not form.validate():
        flash(" ".join(form.note.errors) or "The form expired. Please try again.", "error")
    else:
        try:
            services.grant_attempt(enrolment, current_user.id, form.note.data or "", utcnow())
            db.session.commit()
            flash(f"{enrolment.user.display_name} may take the post-test once more.", "success")
        except services.AssessmentError as error:
            db.session.rollback()
            flash(str(error), "error")
    target = form.next.data
    if is_safe_next(target):
        return redirect(target)
    return redirect(url_for("learning.course_home", slug=enrolment.course.slug))


@bp.get("/learn/<slug>/evaluation")
@login_required
def evaluation(slug: str):
    page = pages.evaluation_page(slug, current_user.id, utcnow()) or abort(404)
    return _render_evaluation(page, evaluation_form.EvaluationSheet())


@bp.post("/learn/<slug>/evaluation")
@login_required
def submit_evaluation(slug: str):
    now = utcnow()
    page = pages.evaluation_page(slug, current_user.id, now) or abort(404)
    if page.response is not None:
        flash(ALREADY_EVALUATED, "info")
        return redirect(url_for("assessment.evaluation", slug=slug))
    if not page.is_open:  # the page says which earlier step is missing
        return redirect(url_for("assessment.evaluation", slug=slug))
    sheet = evaluation_form.read_evaluation_answers(page.questions, request.form)
    if sheet.errors:
        return _render_evaluation(page, sheet)
    steps = page.steps
    stored = services.submit_evaluation(steps.enrolment, steps.course, page.questions, sheet.answers, now)
    db.session.commit()
    if stored is None:  # a second tab won the race
        flash(ALREADY_EVALUATED, "info")
    else:
        flash("Thank you: your evaluation is saved.", "success")
    return redirect(url_for("assessment.evaluation", slug=slug))


def _post_test_steps(slug: str, now: datetime) -> pages.CourseSteps:
    steps = pages.course_steps(slug, current_user.id, now)
    if steps is None or steps.status is None:
        abort(404)
    return steps


def _render_evaluation(page: pages.EvaluationPage, sheet: evaluation_form.EvaluationSheet):
    return render_template("assessment/evaluation.html", page=page, steps=page.steps, sheet=sheet)


def _render_attempt(page: pages.AttemptPage, answers: dict | None = None, unanswered: set | None = None):
    if page.attempt.submitted_at is not None:
        return render_template("assessment/result.html", page=page, steps=page.steps)
    return render_template("assessment/attempt.html", page=page, steps=page.steps, answers=answers or {},
                           unanswered=unanswered or set())


@bp.context_processor
def _helpers() -> dict:
    return {
        "prompt_parts": pages.prompt_parts, "explanation_html": pages.explanation_html,
        "chosen": grading.chosen,
        "rating_labels": evaluation_form.RATING_LABELS, "text_limit": evaluation_form.TEXT_LIMIT,
        "number_maximum": evaluation_form.number_maximum, "answer_text": evaluation_form.answer_text,
    }
