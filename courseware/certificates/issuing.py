"""Issuing from the web layer: settings from configuration, absolute verification URLs, signals."""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from sqlalchemy.orm import joinedload

from courseware.accounts.models import User
from courseware.assessment import signals as assessment_signals
from courseware.certificates import services
from courseware.certificates.models import Certificate
from courseware.certificates.requirements import Checklist, load_checklist
from courseware.certificates.snapshot import CertificateSettings
from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning import signals as learning_signals
from courseware.learning.models import Enrolment


def settings_for(course: Course) -> CertificateSettings:
    config = current_app.config
    return CertificateSettings.from_config(config).for_course(course, config["COURSES_DIR"])


def verify_url_for(public_id: str) -> str:
    """The printed verification link: SITE_URL in production, else the host the request came to."""
    site_url = current_app.config.get("SITE_URL")
    if site_url:
        return f"{site_url.rstrip('/')}/verify/{public_id}"
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for("certificates.verify", public_id=public_id, _external=True)
    return f"http://127.0.0.1:5000/verify/{public_id}"


def issue_if_due(checklist: Checklist, user: User, now: datetime) -> Certificate | None:
    return services.issue_if_due(checklist, user, settings_for(checklist.course), verify_url_for, now)


@learning_signals.lessons_completed.connect
@assessment_signals.post_test_passed.connect
@assessment_signals.evaluation_submitted.connect
def issue_when_due(_sender=None, *, enrolment_id: int, now: datetime, **_extra) -> None:
    """The last requirement may just have been met: issue the certificate at that moment.

    The request that sent the signal recorded the learner's work (a heartbeat, an attempt, an
    evaluation), and that record must stand even if issuing fails. So issuing runs in a savepoint,
    and a failure is logged and undone alone; the certificate page checks the same requirements and
    issues the certificate when the learner opens it.
    """
    try:
        with db.session.begin_nested():
            _issue_for_enrolment(enrolment_id, now)
    except Exception:
        current_app.logger.exception(
            "Certificate for enrolment %s not issued at completion; the certificate page will issue it",
            enrolment_id,
        )


def _issue_for_enrolment(enrolment_id: int, now: datetime) -> None:
    enrolment = db.session.scalar(
        sa.select(Enrolment)
        .options(joinedload(Enrolment.course), joinedload(Enrolment.user).selectinload(User.licences))
        .where(Enrolment.id == enrolment_id)
    )
    if enrolment is None:
        return
    checklist = load_checklist(enrolment.course, enrolment, enrolment.user, now)
    issue_if_due(checklist, enrolment.user, now)
