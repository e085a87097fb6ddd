"""Issuing, revoking and reissuing certificates. Services flush; the caller commits."""

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.exc import IntegrityError

from courseware.accounts.models import Licence, User
from courseware.certificates.models import Attestation, Certificate, new_public_id
from courseware.certificates.requirements import Checklist
from courseware.certificates.snapshot import CertificateSettings, Earned, build_snapshot, with_corrections
from courseware.extensions import db
from courseware.notifications.services import queue_email

ATTESTATION_STATEMENT = (
    "I attest that I completed this continuing education activity myself, in full, and that the "
    "information I gave is true."
)

VerifyUrlFor = Callable[[str], str]  # public id -> absolute verification URL


class CertificateError(Exception):
    """The request cannot be carried out; the message says why."""


def confirm(
    checklist: Checklist, user: User, legal_name: str, licence: Licence | None, now: datetime
) -> None:
    """The learner confirms the legal name to print and, when the course asks, attests."""
    if user.legal_name_locked and legal_name != user.legal_name:
        raise CertificateError(
            "Your legal name is already printed on a certificate. Ask the instructor to correct it."
        )
    user.legal_name = legal_name
    user.legal_name_confirmed_at = now
    if checklist.attestation_required and checklist.attestation is None:
        checklist.attestation = Attestation(
            enrolment_id=checklist.enrolment.id, legal_name=legal_name, statement=ATTESTATION_STATEMENT,
            licence_id=licence.id if licence else None, attested_at=now,
        )
        db.session.add(checklist.attestation)
    checklist.name_confirmed = True


def issue_if_due(
    checklist: Checklist,
    user: User,
    settings: CertificateSettings,
    verify_url_for: VerifyUrlFor,
    now: datetime,
) -> Certificate | None:
    """Issue the certificate if every requirement is met: exactly once per enrolment.

    Two requests completing the last requirement at the same moment both try to insert; the
    partial unique index lets one in, and the other returns the certificate that won.
    """
    if not checklist.complete or checklist.revoked_certificate is not None:
        return None
    if checklist.certificate is not None:
        return checklist.certificate
    certificate = _insert(checklist, user, settings, now)
    if certificate is None:
        checklist.certificate = valid_certificate(checklist.enrolment.id)
        return checklist.certificate
    certificate.serial = _serial(settings, certificate)
    certificate.snapshot = build_snapshot(
        certificate.public_id, certificate.serial, verify_url_for(certificate.public_id), user,
        checklist.course, _earned(checklist, user, certificate, now), settings,
    )
    user.legal_name_locked_at = user.legal_name_locked_at or now
    checklist.enrolment.completed_at = checklist.enrolment.completed_at or now
    checklist.certificate = certificate
    _queue_ready_email(user, certificate)
    return certificate


def valid_certificate(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate)
        .where(Certificate.enrolment_id == enrolment_id, Certificate.revoked_at.is_(None))
    )


def revoke(certificate: Certificate, reason: str, revoked_by_id: int | None, now: datetime) -> None:
    if not certificate.is_valid:
        raise CertificateError("This certificate is already revoked.")
    certificate.revoked_at = now
    certificate.revoked_reason = reason
    certificate.revoked_by_id = revoked_by_id


def reissue(
    certificate: Certificate, legal_name: str, reason: str, revoked_by_id: int | None,
    settings: CertificateSettings, verify_url_for: VerifyUrlFor, now: datetime,
) -> Certificate:
    """Correct a certificate: revoke it with the reason and issue a new one for the same completion."""
    revoke(certificate, reason, revoked_by_id, now)
    db.session.flush()  # the old one must stop being valid before the new one may be
    replacement = Certificate(
        enrolment_id=certificate.enrolment_id, user_id=certificate.user_id, course_id=certificate.course_id,
        course_revision=certificate.course_revision, completed_on=certificate.completed_on,
        issued_at=now, snapshot={},
    )
    db.session.add(replacement)
    db.session.flush()
    replacement.serial = _serial(settings, replacement)
    replacement.snapshot = with_corrections(
        certificate.snapshot, replacement.public_id, replacement.serial,
        verify_url_for(replacement.public_id), legal_name,
    )
    certificate.replaced_by_id = replacement.id
    # Later certificates print the corrected name too.
    certificate.user.legal_name = legal_name
    return replacement


def local_date(now: datetime, time_zone: str | None, default_time_zone: str):
    """The calendar day `now` falls on where the learner lives."""
    try:
        zone = ZoneInfo(time_zone or default_time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(default_time_zone)
    return now.astimezone(zone).date()


def _insert(
    checklist: Checklist, user: User, settings: CertificateSettings, now: datetime
) -> Certificate | None:
    certificate = Certificate(
        public_id=new_public_id(),
        enrolment_id=checklist.enrolment.id,
        user_id=user.id,
        course_id=checklist.course.id,
        course_revision=checklist.course.revision,
        completed_on=local_date(now, user.time_zone, settings.default_time_zone),
        issued_at=now,
        snapshot={},
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None
    return certificate


def _serial(settings: CertificateSettings, certificate: Certificate) -> str:
    return f"{settings.serial_prefix}-{certificate.issued_at.year}-{certificate.id:06d}"


def _earned(checklist: Checklist, user: User, certificate: Certificate, now: datetime) -> Earned:
    post_test = checklist.post_test
    score = post_test.passed_attempt.score_percent if post_test and post_test.passed_attempt else None
    return Earned(
        completed_on=certificate.completed_on, issued_at=now, post_test_score=score,
        licence=_printed_licence(checklist, user),
    )


def _printed_licence(checklist: Checklist, user: User) -> Licence | None:
    chosen = checklist.attestation.licence_id if checklist.attestation else None
    licences = list(user.licences)
    if chosen is not None:
        return next((licence for licence in licences if licence.id == chosen), None)
    return licences[0] if licences and checklist.attestation is None else None


def _queue_ready_email(user: User, certificate: Certificate) -> None:
    body = render_template("certificates/email/certificate_ready.txt", user=user, certificate=certificate)
    queue_email(user.email, f"Your certificate for {certificate.snapshot['course']['title']}", body)
