"""The lesson editor: a course's outline, writing and publishing a lesson, its history, the live preview."""


from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from courseware.accounts.permissions import author_required
from courseware.content.models import Status
from courseware.db import utcnow
from courseware.extensions import db
from courseware.formatting import line_diff
from courseware.studio import author_time, editor, editor_diff, editor_outline, editor_publish, uploads_views
from courseware.studio.editor_forms import BODY_MAX_CHARS, LessonForm, NewLessonForm, RestoreForm
from courseware.studio.models import LessonRevision, RevisionStatus
from courseware.web import json_error, page_number

bp = Blueprint("studio_editor", __name__, url_prefix="/studio")

# The live preview takes the lesson text as JSON: ~200 kB of markdown, plus room for the quoting.
PREVIEW_MAX_BYTES = 2 * BODY_MAX_CHARS


@bp.context_processor
def _author_time():
    def status_label(revision: LessonRevision) -> str:
        labels = {
            RevisionStatus.DRAFT: "Draft",
            RevisionStatus.PUBLISHED: "Published",
            RevisionStatus.SCHEDULED: f"Scheduled for {author_time.label(revision.publish_at)}",
            RevisionStatus.WENT_LIVE: "Went live as scheduled",
        }
        return labels.get(revision.status, revision.status)

    return {
        "saved_by": _saved_by,
        "local_time": author_time.label,
        "status_label": status_label,
        "author_zone": author_time.zone().key,
        "now_utc": utcnow(),
    }


def _saved_by(revision: LessonRevision) -> str:
    if revision.status == RevisionStatus.WENT_LIVE:
        return "Scheduled publishing"
    return revision.author.display_name if revision.author else "A deleted account"


@bp.get("/courses/<slug>/lessons")
@author_required
def outline(slug: str):
    course = editor.find_course(slug) or abort(404)
    return render_template(
        "studio/editor_outline.html", outline=editor_outline.course_outline(course), now=utcnow()
    )


@bp.route("/courses/<slug>/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@author_required
def edit(slug: str, lesson_id: int):
    state = _editable_state(slug, lesson_id)
    has_video = state.lesson.has_video
    form = LessonForm(has_video=has_video) if request.method == "POST" else _filled_form(state, has_video)
    if not form.is_submitted():
        return _render_editor(state, form)
    if not form.validate():
        return _render_editor(state, form, status=400)
    if form.show_preview.data:
        return _render_editor(state, form, preview=editor.preview_html(form.content().body_md))
    return _save(state, form)


@bp.route("/courses/<slug>/modules/<int:module_id>/lessons/new", methods=["GET", "POST"])
@author_required
def new_lesson(slug: str, module_id: int):
    place = editor.new_lesson_place(slug, module_id) or abort(404)
    form = NewLessonForm()
    if not form.is_submitted():
        return _render_new(place, form)
    valid = form.validate()
    if not form.slug.errors and (problem := editor.slug_problem(place.course, form.slug.data)):
        form.slug.errors.append(problem)
        valid = False
    if not valid:
        return _render_new(place, form, status=400)
    if form.show_preview.data:
        return _render_new(place, form, preview=editor.preview_html(form.content().body_md))
    try:
        state = editor.create_lesson(place, form.slug.data, form.content())
    except IntegrityError:  # the course's unique key on slugs
        db.session.rollback()
        form.slug.errors.append(f'Another lesson of this course already uses "{form.slug.data}".')
        return _render_new(place, form, status=400)
    form.version.data = state.version
    return _save(state, form, place)


@bp.post("/preview")
@author_required
def preview():
    """JSON {"body": markdown} -> {"html": what learners will see}; the editor's live preview."""
    too_long = "The lesson text is too long to preview: at most 200,000 characters."
    if (request.content_length or 0) > PREVIEW_MAX_BYTES:
        return json_error(413, too_long)
    request.max_content_length = PREVIEW_MAX_BYTES  # for a body sent without a length
    try:
        payload = request.get_json(silent=True)
    except RequestEntityTooLarge:
        return json_error(413, too_long)
    body = payload.get("body") if isinstance(payload, dict) else None
    if not isinstance(body, str):
        return json_error(400, 'Send JSON like {"body": "markdown text"}.')
    if len(body) > BODY_MAX_CHARS:
        return json_error(413, too_long)
    return jsonify(html=editor.preview_html(body))


@bp.get("/courses/<slug>/lessons/<int:lesson_id>/revisions")
@author_required
def revisions(slug: str, lesson_id: int):
    state = _state(slug, lesson_id)
    page = editor.revision_page(state.lesson, page_number())
    # The pager keeps these in its links (it takes query arguments; here they fill the path).
    path = MultiDict({"slug": slug, "lesson_id": lesson_id})
    return render_template("studio/lesson_revisions.html", state=state, revisions=page, pager_args=path)


@bp.get("/courses/<slug>/lessons/<int:lesson_id>/revisions/<int:number>")
@author_required
def revision(slug: str, lesson_id: int, number: int):
    state = _state(slug, lesson_id)
    old = editor.find_revision(state.lesson, number) or abort(404)
    old_content, current = editor.LessonContent.of(old), state.content
    return render_template(
        "studio/lesson_revision.html",
        state=state,
        revision=old,
        changes=editor_diff.field_changes(old_content, current),
        diff=line_diff(old_content.body_md, current.body_md),
        form=RestoreForm(),
    )


@bp.post("/courses/<slug>/lessons/<int:lesson_id>/revisions/<int:number>/restore")
@author_required
def restore(slug: str, lesson_id: int, number: int):
    state = _editable_state(slug, lesson_id)
    old = editor.find_revision(state.lesson, number) or abort(404)
    if not RestoreForm().validate_on_submit():
        abort(400)
    try:
        editor.restore(state, old, current_user.id, utcnow())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, "Someone saved this lesson at the same moment. Open its history and restore again.")
    flash(f"Revision {number} is now the draft. Learners see it once you publish it.", "success")
    return redirect(url_for(".edit", slug=slug, lesson_id=lesson_id))


def _save(state: editor.EditorState, form: LessonForm, place: editor.NewLessonPlace | None = None):
    """Save a draft, publish or schedule; a conflict or a refusal sends the form back as typed."""
    content, now, version = form.content(), utcnow(), form.version.data or ""
    slug, lesson_id, message = state.course.slug, state.lesson.id, _saved_message(form, state)
    try:
        if form.save_draft.data:
            editor.save_draft(state, content, current_user.id, version, now, form.note.data)
        else:
            when = author_time.to_utc(form.publish_at.data) if form.schedule.data else None
            editor_publish.publish(state, content, current_user.id, version, now, when, form.note.data)
        db.session.commit()
    except editor_publish.PublishRefused as refused:
        db.session.rollback()
        getattr(form, refused.field).errors.append(str(refused))
        return _render_new(place, form, 400) if place else _render_editor(state, form, 400)
    except (editor.EditConflict, IntegrityError):
        db.session.rollback()
        if place:  # two new lessons given the same address at the same moment
            form.slug.errors.append("Another lesson took this address a moment ago; choose another.")
            return _render_new(place, form, 409)
        return _render_conflict(slug, lesson_id, form)
    flash(message, "success")
    return redirect(url_for(".edit", slug=slug, lesson_id=lesson_id))


def _render_conflict(slug: str, lesson_id: int, form: LessonForm):
    """409: what they typed stays in the form, beside a diff against the version saved meanwhile."""
    state = _state(slug, lesson_id)
    typed = form.content()
    form.version.data = state.version  # saving again, having seen the diff, replaces that version
    return _render_editor(
        state,
        form,
        status=409,
        conflict=True,
        changes=editor_diff.field_changes(state.content, typed),
        diff=line_diff(state.content.body_md, typed.body_md),
    )


def _render_editor(state: editor.EditorState, form: LessonForm, status: int = 200, **extra):
    preview = extra.pop("preview", None)
    if preview is None:
        preview = state.draft.body_html if state.draft else state.lesson.body_html
    return render_template(
        "studio/editor_lesson.html", state=state, form=form, preview=preview,
        **uploads_views.media_context(state), **extra
    ), status


def _render_new(place: editor.NewLessonPlace, form: NewLessonForm, status: int = 200, preview: str = ""):
    return render_template(
        "studio/editor_new.html", course=place.course, module=place.module, form=form, preview=preview
    ), status


def _filled_form(state: editor.EditorState, has_video: bool) -> LessonForm:
    content, lesson = state.content, state.lesson
    return LessonForm(
        has_video=has_video,
        title=content.title,
        body=content.body_md,
        duration_seconds=content.duration_seconds,
        credit_minutes=content.credit_minutes,
        preview=content.preview,
        version=state.version,
        publish_at=author_time.scheduled_field(lesson.publish_at, utcnow()),
    )


def _state(slug: str, lesson_id: int) -> editor.EditorState:
    course = editor.find_course(slug) or abort(404)
    return editor.editor_state(course, lesson_id) or abort(404)


def _editable_state(slug: str, lesson_id: int) -> editor.EditorState:
    state = _state(slug, lesson_id)
    if state.retired:
        abort(404, "This lesson was retired: it is no longer in the course files. Its history is kept.")
    return state


def _saved_message(form: LessonForm, state: editor.EditorState) -> str:
    if form.save_draft.data:
        live = state.lesson.status != Status.DRAFT
        return "Draft saved. Learners still see the published version." if live else "Draft saved."
    if form.schedule.data:
        return "Scheduled: learners see the lesson from the time you chose."
    return "Published: learners see this version now."
