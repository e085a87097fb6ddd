"""Fixtures for the transcript tests: uploads in a temporary folder, small size limits, factories."""

import itertools
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Licence, User
from courseware.certificates.models import Certificate
from courseware.config import Defaults
from courseware.content.models import Course, Status
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource
from courseware.transcript.models import ExternalCredit
from courseware.transcript.services import learner_today

UPLOAD_MAX_BYTES = 4096
# Requests above this get werkzeug's 413 before any view runs; smaller files over
# UPLOAD_MAX_BYTES reach the form and get an error beside the field.
MAX_CONTENT_LENGTH = 64 * 1024
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

_serials = itertools.count(1)


def today_where_learners_live() -> date:
    """The date the transcript pages go by for a learner with no time zone set (the app's default).

    Not date.today(): for some hours each night the machine's date is already tomorrow in UTC.
    """
    return learner_today(utcnow(), None, Defaults.DEFAULT_TIME_ZONE)


@pytest.fixture
def app_config(app_config) -> dict:
    return {
        **app_config,
        "UPLOAD_MAX_BYTES": UPLOAD_MAX_BYTES,
        "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
    }


@dataclass(frozen=True)
class Earned:
    """A certificate to create: title, completion date, contact hours; PDUs as the snapshot prints them."""

    title: str
    completed_on: date
    hours: str = "1.00"
    pdus: str | None = None
    revoked: bool = False


@pytest.fixture
def certificates(app):
    """certificates(user, *Earned) -> their public ids: courses, enrolments and certificates, one commit."""

    def _make(user: User, *earned: Earned) -> list[str]:
        with app.app_context():
            rows = [_certificate(user, item) for item in earned]
            db.session.add_all(rows)
            db.session.commit()
            return [row.public_id for row in rows]

    return _make


def _certificate(user: User, item: Earned) -> Certificate:
    n = next(_serials)
    course = Course(
        slug=f"done-{n}-{secrets.token_hex(3)}",
        title=item.title,
        summary="A course.",
        instructor="Jennifer Huff, OTR, MOT",
        contact_hours=Decimal(item.hours),
        level="Intermediate",
        category="Occupational Therapy Process",
        status=Status.PUBLISHED,
    )
    enrolment = Enrolment(user_id=user.id, course=course, source=EnrolmentSource.FREE)
    public_id = secrets.token_hex(16)
    serial = f"HCE-{item.completed_on.year}-{n:06d}"
    return Certificate(
        public_id=public_id,
        serial=serial,
        enrolment=enrolment,
        user_id=user.id,
        course=course,
        course_revision=1,
        completed_on=item.completed_on,
        snapshot=snapshot(public_id, serial, user, item),
        revoked_at=utcnow() if item.revoked else None,
        revoked_reason="Issued in error" if item.revoked else None,
    )


def snapshot(public_id: str, serial: str, user: User, item: Earned) -> dict:
    """The fields of the lead's snapshot (certificates/snapshot.py) that the transcript reads."""
    hours = Decimal(item.hours)
    return {
        "version": 1,
        "public_id": public_id,
        "serial": serial,
        "verify_url": f"http://localhost/verify/{public_id}",
        "holder": {"legal_name": user.legal_name, "credential": user.credential, "licence": None},
        "course": {
            "title": item.title,
            "slug": "course",
            "revision": 1,
            "contact_hours": f"{hours:.2f}",
            "ceus": f"{hours / 10:.3f}",
            "pdus": item.pdus or f"{hours * Decimal('1.25'):.2f}",
        },
        "completed_on": item.completed_on.isoformat(),
        "issued_at": f"{item.completed_on.isoformat()}T12:00:00+00:00",
        "provider": {"name": "Jennifer Huff, LLC", "approval": None, "state_notice": None},
        "assessment": {"post_test_passed": True, "score_percent": "90"},
    }


@pytest.fixture
def licence(app):
    """licence(user, state, renewal_date=None, number="12345") -> the saved Licence."""

    def _make(user: User, state: str, renewal_date: date | None = None, number: str = "12345") -> Licence:
        with app.app_context():
            row = Licence(
                user_id=user.id, state=state, profession="OT", number=number, renewal_date=renewal_date
            )
            db.session.add(row)
            db.session.commit()
            db.session.refresh(row)
            db.session.expunge(row)
            return row

    return _make


@pytest.fixture
def external_credit(app):
    """external_credit(user, title, completed_on, hours="1.00", format="self_study", **fields)."""

    def _make(user: User, title: str, completed_on: date, hours: str = "1.00", **fields) -> ExternalCredit:
        with app.app_context():
            row = ExternalCredit(
                user_id=user.id,
                title=title,
                provider=fields.pop("provider", "Another Provider"),
                completed_on=completed_on,
                contact_hours=Decimal(hours),
                format=fields.pop("format", "self_study"),
                **fields,
            )
            db.session.add(row)
            db.session.commit()
            db.session.refresh(row)
            db.session.expunge(row)
            return row

    return _make


@pytest.fixture
def credit_rows(app):
    """credit_rows() -> every ExternalCredit row, oldest first."""

    def _rows() -> list[ExternalCredit]:
        with app.app_context():
            rows = db.session.scalars(sa.select(ExternalCredit).order_by(ExternalCredit.id)).all()
            db.session.expunge_all()
            return list(rows)

    return _rows
