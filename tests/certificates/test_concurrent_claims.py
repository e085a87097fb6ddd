"""Exactly one certificate per enrolment, even when twenty requests complete it at the same moment."""

import threading

import pytest
import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.certificates import issuing
from courseware.certificates.models import Attestation, Certificate
from courseware.certificates.requirements import load_checklist
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from tests.certificates.helpers import certificates_of, ready_for_attestation

CLAIMS = 20


@pytest.fixture
def app_config(app_config):
    # Every claim holds its own connection while it waits for the others, as 20 workers would.
    app_config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": CLAIMS + 2}
    return app_config


def _claim(app, enrolment_id: int, everyone_loaded: threading.Barrier, results: list, errors: list) -> None:
    """One request: read the facts (no certificate yet), wait for the others, then issue and commit."""
    try:
        with app.test_request_context():
            enrolment = db.session.get(Enrolment, enrolment_id)
            user = db.session.get(User, enrolment.user_id)
            course = db.session.get(Course, enrolment.course_id)
            checklist = load_checklist(course, enrolment, user, utcnow())
            assert checklist.certificate is None
            everyone_loaded.wait(timeout=30)
            certificate = issuing.issue_if_due(checklist, user, utcnow())
            db.session.commit()
            results.append(certificate.public_id)
            db.session.remove()
    except Exception as error:  # reported by the test, with the thread's exception
        errors.append(error)


def test_twenty_concurrent_claims_issue_one_certificate(app, make):
    user, course, enrolment = ready_for_attestation(app, make)
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.id == user.id).values(legal_name_confirmed_at=utcnow())
        )
        db.session.execute(sa.text("DELETE FROM attempt_grants"))  # nothing else to set up
        db.session.commit()
    _attest_directly(app, enrolment)
    barrier, results, errors = threading.Barrier(CLAIMS), [], []

    threads = [
        threading.Thread(target=_claim, args=(app, enrolment.id, barrier, results, errors))
        for _ in range(CLAIMS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    [certificate] = certificates_of(app, enrolment)
    assert results == [certificate.public_id] * CLAIMS  # the losers answer with the winner's certificate
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


def test_the_database_refuses_a_second_valid_certificate(app, make):
    """The partial unique index itself, not a check in Python, keeps the rule."""
    user, course, enrolment = ready_for_attestation(app, make)
    row = dict(enrolment_id=enrolment.id, user_id=user.id, course_id=course.id, course_revision=1,
               completed_on=utcnow().date(), snapshot={})
    with app.app_context():
        db.session.add(Certificate(public_id="a" * 32, **row))
        db.session.commit()
        db.session.add(Certificate(public_id="b" * 32, **row))
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            db.session.rollback()
        else:
            raise AssertionError("a second valid certificate was accepted")
        # A revoked one does not count: after revocation a replacement may be issued.
        db.session.execute(sa.update(Certificate).values(revoked_at=utcnow()))
        db.session.add(Certificate(public_id="c" * 32, **row))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 2


def _attest_directly(app, enrolment) -> None:
    with app.app_context():
        db.session.add(Attestation(enrolment_id=enrolment.id, legal_name="Zoë", statement="I did it."))
        db.session.commit()
