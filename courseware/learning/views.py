from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from courseware.accounts.signed_in import signed_in_token
from courseware.db import utcnow
from courseware.extensions import db, limiter
from courseware.learning import heartbeats, pages, services
from courseware.learning.models import EnrolmentSource
from courseware.learning.watchtime import HeartbeatError
from courseware.notifications import inbox
from courseware.web import json_error, page_number, unauthorized

bp = Blueprint("learning", __name__)


@bp.get("/me/")
@login_required
def dashboard():
    enrolments = services.dashboard_enrolments(current_user.id, page_number())
    new_lessons = {}
    if current_user.unread_notifications:  # nothing can be new without an unread notification
        course_ids = [enrolment.course_id for enrolment in enrolments.items]
        new_lessons = inbox.unread_new_lessons(current_user.id, course_ids)
    return render_template("learning/dashboard.html", enrolments=enrolments, new_lessons=new_lessons)


@bp.post("/courses/<slug>/enroll")
@login_required
def enroll(slug: str):
    course = services.find_live_course(slug, utcnow()) or abort(404)
    try:
        _enrolment, created = services.enrol(current_user.id, course, EnrolmentSource.FREE, utcnow())
    except services.EnrolmentError:
        flash(
            "This course is paid. Online payment is coming soon; until then the instructor can "
            "give you a seat.",
            "error",
        )
        return redirect(url_for("catalog.landing", slug=slug))
    db.session.commit()
    if created:
        flash(f"You are enrolled in {course.title}. Welcome!", "success")
    return redirect(url_for("learning.course_home", slug=slug))


@bp.get("/learn/<slug>/")
@login_required
def course_home(slug: str):
    page = pages.course_home(slug, current_user.id, utcnow())
    if page is None:
        abort(404)
    if page.enrolment is None:
        flash("Enrol in this course to start learning.", "info")
        return redirect(url_for("catalog.landing", slug=slug))
    return render_template("learning/course_home.html", page=page)


@bp.get("/learn/<slug>/<lesson_slug>")
def lesson(slug: str, lesson_slug: str):
    user_id = current_user.id if current_user.is_authenticated else None
    page = pages.player(slug, lesson_slug, user_id, utcnow())
    if page is None:
        abort(404)
    if not page.may_watch:
        if user_id is None:
            return current_app.login_manager.unauthorized()
        flash("Enrol in this course to watch this lesson.", "info")
        return redirect(url_for("catalog.landing", slug=slug))
    if user_id is not None and current_user.unread_notifications:  # "New lesson: ..." is read now
        inbox.mark_path_read(user_id, request.path, utcnow())
    db.session.commit()
    return render_template("learning/player.html", page=page)


@bp.post("/learn/<slug>/<lesson_slug>/done")
@login_required
def lesson_done(slug: str, lesson_slug: str):
    page = pages.player_state(slug, lesson_slug, current_user.id, utcnow())
    if page is None or page.enrolment is None:
        abort(404)
    try:
        services.mark_reading_done(
            page.enrolment, page.lesson, page.progress, len(page.outline.lessons), utcnow()
        )
        db.session.commit()
    except services.EnrolmentError as error:
        flash(str(error), "error")
        return redirect(url_for("learning.lesson", slug=slug, lesson_slug=lesson_slug))
    flash(f"“{page.lesson.title}” is complete.", "success")
    following = page.outline.neighbours(page.lesson)[1]
    if following is not None:
        return redirect(url_for("learning.lesson", slug=slug, lesson_slug=following.slug))
    return redirect(url_for("learning.course_home", slug=slug))


@bp.post("/learn/<slug>/<lesson_slug>/progress")
@limiter.exempt  # the watch-time budget already bounds what a client can send
def progress(slug: str, lesson_slug: str):
    # No @login_required: loading the user would cost a statement; the service authenticates the
    # session's user token inside its one read (see heartbeats.record_heartbeat).
    session_token = signed_in_token()
    if not session_token:
        return unauthorized()
    payload = request.get_json(silent=True)
    if payload is None:
        return json_error(400, "The body must be JSON with Content-Type: application/json.")
    try:
        result = heartbeats.record_heartbeat(session_token, slug, lesson_slug, payload, utcnow(), _rules())
        db.session.commit()
    except heartbeats.SessionEnded:
        return unauthorized()
    except heartbeats.ProgressNotFound as error:
        return json_error(404, str(error))
    except HeartbeatError as error:
        return json_error(400, error.reason, code=error.code)
    except heartbeats.ConcurrentUpdate as error:
        return json_error(409, str(error))
    except OperationalError:
        # SQLite refuses a write whose read was overtaken by another writer ("database is locked").
        return json_error(409, "Another update to this lesson arrived at the same moment. Send it again.")
    return jsonify(result.as_json())


def _rules() -> heartbeats.WatchRules:
    config = current_app.config
    return heartbeats.WatchRules(
        config["WATCH_TOP_RATE"], config["WATCH_ALLOWANCE_SECONDS"], config["WATCH_MAX_INTERVALS"]
    )
