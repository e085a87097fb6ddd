"""A lesson's media in the studio: the media page, uploading (streamed to disk), removing.

An upload is a plain multipart form (it works without JavaScript); static/js/upload.js sends the
same form with XMLHttpRequest for a progress bar and asks for JSON answers. The body is parsed here,
not by Flask-WTF's CSRF check, so that the per-kind size limit applies before a byte is read and
the file part streams into the media store's temporary folder instead of the system's.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from wtforms import ValidationError

from courseware.accounts.permissions import author_required
from courseware.db import utcnow
from courseware.extensions import csrf, db
from courseware.storage import IncomingFile, StoreUnavailable, media_store
from courseware.studio import editor, uploads
from courseware.studio.models import MediaKind
from courseware.web import json_error, wants_json

bp = Blueprint("studio_media", __name__, url_prefix="/studio")

# Room in the request body for the multipart headers and the small fields beside the file.
FORM_OVERHEAD_BYTES = 64 * 1024
# The parser's buffer between reads (it reads 64 kB at a time): Werkzeug's own default.
PARSER_MEMORY_BYTES = 500 * 1024
LIMIT_KEYS = {
    MediaKind.VIDEO: "MEDIA_VIDEO_MAX_BYTES",
    MediaKind.CAPTIONS: "MEDIA_CAPTIONS_MAX_BYTES",
    MediaKind.DOWNLOAD: "MEDIA_DOWNLOAD_MAX_BYTES",
}
NOUNS = {MediaKind.VIDEO: "video", MediaKind.CAPTIONS: "captions file", MediaKind.DOWNLOAD: "download"}


@dataclass(frozen=True)
class SizeLimit:
    bytes: int
    words: str


@bp.context_processor
def _page_helpers():
    # Imported here: the editor's views import this module for the editor page's media section.
    from courseware.studio.editor_views import _author_time

    return {**_author_time(), "size_words": size_words}


@bp.get("/courses/<slug>/lessons/<int:lesson_id>/media")
@author_required
def media_page(slug: str, lesson_id: int):
    return render_media(_state(slug, lesson_id))


@bp.post("/courses/<slug>/lessons/<int:lesson_id>/media/<kind>")
@csrf.exempt  # checked in _parse_upload, once the per-kind limit is set
@author_required
def upload(slug: str, lesson_id: int, kind: str):
    kind = _kind(kind)
    state = _state(slug, lesson_id)
    limit = media_limit(kind)
    request.max_content_length = limit + FORM_OVERHEAD_BYTES
    store, form = media_store(), MultiDict()
    try:
        with _parse_upload(store.incoming) as (form, sent):
            _attach(state, kind, store, form, sent, limit)
    except RequestEntityTooLarge:
        too_large = f"The {NOUNS[kind]} is too large: at most {size_words(limit)}."
        return _refused(state, kind, 413, "file", too_large)
    except uploads.UploadRefused as refused:
        return _refused(state, kind, 400, refused.field, str(refused), form)
    except StoreUnavailable as away:
        current_app.logger.warning("Media store refused an upload: %s", away)
        unavailable = "The media store is not answering, so the file was not kept. Try again in a minute."
        return _refused(state, kind, 503, "file", unavailable, form)
    flash(f"Uploaded. Learners get the new {NOUNS[kind]} now.", "success")
    return _done(slug, lesson_id, form.get("back"))


@bp.post("/courses/<slug>/lessons/<int:lesson_id>/media/<kind>/remove")
@author_required
def remove(slug: str, lesson_id: int, kind: str):
    kind = _kind(kind)
    state = _state(slug, lesson_id)
    try:
        path = request.form.get("path", "")
        uploads.remove(state.course, state.lesson, kind, path, current_user.id, utcnow())
        db.session.commit()
    except uploads.UploadRefused as refused:
        return _refused(state, kind, 409, "file", str(refused))
    flash(f"Removed. Learners no longer get this {NOUNS[kind]}.", "success")
    return _done(slug, lesson_id, request.form.get("back"))


def media_context(state: editor.EditorState) -> dict:
    """What the media section needs, for the editor page too (one statement)."""
    return {"media": uploads.lesson_media(state.lesson), "limits": media_limits()}


def render_media(state: editor.EditorState, status: int = 200, errors=None, typed=None):
    context = {**media_context(state), "errors": errors or {}, "typed": typed or {}}
    return render_template("studio/editor_media.html", state=state, **context), status


def media_limit(kind: MediaKind) -> int:
    return current_app.config[LIMIT_KEYS[kind]]


def media_limits() -> dict[str, SizeLimit]:
    return {kind.value: SizeLimit(media_limit(kind), size_words(media_limit(kind))) for kind in MediaKind}


def size_words(size: int) -> str:
    """2147483648 -> "2 GB": the limits people read next to the field."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


@contextmanager
def _parse_upload(incoming_file):
    """The form's fields and its one file, streamed to a temporary file; the CSRF token checked.

    Werkzeug's parser writes each file part chunk by chunk into what the stream factory returns
    (the store's IncomingFile), so memory holds one chunk, whatever the file's size.
    """
    created: list[IncomingFile] = []

    def stream_factory(total_content_length, content_type, filename, content_length=None):
        created.append(incoming_file())
        return created[-1]

    parser = FormDataParser(
        stream_factory, max_form_memory_size=PARSER_MEMORY_BYTES,
        max_content_length=request.max_content_length, max_form_parts=8,
    )
    try:
        _stream, form, files = parser.parse_from_environ(request.environ)
        _check_csrf(form)
        yield form, files.get("file")
    finally:
        for file in created:
            file.close()


def _attach(state, kind: MediaKind, store, form: MultiDict, sent: FileStorage | None, limit: int) -> None:
    if sent is None or not sent.filename:
        raise uploads.UploadRefused("Choose a file to upload.")
    if sent.stream.size > limit:  # the body's limit leaves room for the form around the file
        raise RequestEntityTooLarge
    uploads.attach(store, state.course, state.lesson, kind, sent.stream, sent.filename,
                   current_user.id, utcnow(), _duration(kind, form))
    db.session.commit()


def _check_csrf(form: MultiDict) -> None:
    try:
        validate_csrf(request.headers.get("X-CSRFToken") or form.get("csrf_token"))
    except ValidationError as error:
        raise CSRFError(error.args[0]) from None


def _duration(kind: MediaKind, form: MultiDict) -> int | None:
    text = (form.get("duration_seconds") or "").strip()
    if kind != MediaKind.VIDEO or not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= uploads.MAX_DURATION_SECONDS:
        raise uploads.UploadRefused("Enter a whole number of seconds from 1 to 86,400, like 95.", "duration")
    return int(text)


def _refused(state, kind: MediaKind, status: int, field: str, message: str, typed: MultiDict | None = None):
    """The reason next to the field: JSON for the upload script, the media page for a plain form."""
    field_id = f"{kind.value}-{field}"
    if wants_json():
        return json_error(status, message, field=field_id)
    db.session.rollback()
    kept = {f"{kind.value}-duration": typed.get("duration_seconds", "")} if typed else {}
    return render_media(state, status, errors={field_id: message}, typed=kept)


def _done(slug: str, lesson_id: int, back: str | None):
    """Back where the form was: the lesson editor's media section, or the media page."""
    if back == "editor":
        target = url_for("studio_editor.edit", slug=slug, lesson_id=lesson_id, _anchor="media")
    else:
        target = url_for("studio_media.media_page", slug=slug, lesson_id=lesson_id)
    return jsonify(redirect=target) if wants_json() else redirect(target)


def _kind(kind: str) -> MediaKind:
    try:
        return MediaKind(kind)
    except ValueError:
        abort(404)


def _state(slug: str, lesson_id: int) -> editor.EditorState:
    course = editor.find_course(slug) or abort(404)
    state = editor.editor_state(course, lesson_id) or abort(404)
    if state.retired:
        abort(404, "This lesson was retired: it is no longer in the course files.")
    return state
