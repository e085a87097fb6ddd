"""Issuing: the moment the last requirement is met, once, with every printed field frozen."""

import re
from datetime import UTC, datetime
from unittest import mock

import sqlalchemy as sa

from courseware.accounts.models import Licence, User
from courseware.certificates import services
from courseware.extensions import db
from courseware.notifications.models import OutboxEmail
from tests.certificates.helpers import certificates_of, ready_for_attestation

ATTEST = {"legal_name": "Zoë Ñúñez-O'Brien", "licence": "none", "attest": "y"}


def _attest(client, course, **data):
    return client.post(f"/learn/{course.slug}/certificate", data={**ATTEST, **data}, follow_redirects=True)


def test_attesting_issues_the_certificate_with_every_printed_field(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)

    page = _attest(client, course).get_data(as_text=True)

    [certificate] = certificates_of(app, enrolment)
    assert "Congratulations! Your certificate is ready." in page
    assert f'href="/certificates/{certificate.public_id}.pdf"' in page
    assert re.fullmatch(r"[0-9a-f]{32}", certificate.public_id)
    assert re.fullmatch(rf"HCE-{certificate.issued_at.year}-\d{{6}}", certificate.serial)
    snapshot = certificate.snapshot
    assert snapshot["holder"] == {"legal_name": "Zoë Ñúñez-O'Brien", "credential": "OTR/L", "licence": None}
    assert snapshot["course"]["title"] == course.title
    assert (snapshot["course"]["contact_hours"], snapshot["course"]["ceus"]) == ("6.75", "0.675")
    assert snapshot["course"]["pdus"] == "8.44"  # NBCOT: 1.25 PDU per assessed hour
    assert (snapshot["course"]["level"], snapshot["course"]["content_focus"]) == (
        "Intermediate", "Occupational Therapy Process")
    assert snapshot["provider"]["approval"]["number"] == "12345"
    assert "AOTA does not endorse specific course content" in snapshot["provider"]["approval"]["statement"]
    assert snapshot["assessment"] == {"post_test_passed": True, "score_percent": "90"}
    assert snapshot["verify_url"] == f"http://localhost/verify/{certificate.public_id}"
    assert snapshot["serial"] == certificate.serial
    # Relative to the project, so the record still prints its signature on another server.
    assert snapshot["signer"]["signature"] == "static/img/signature.png"
    assert certificate.course_revision == course.revision


def test_the_chosen_licence_is_printed(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    with app.app_context():
        licence = Licence(user_id=user.id, state="TX", profession="OT", number="OT-4411")
        db.session.add(licence)
        db.session.commit()
        licence_id = licence.id
    login(user)

    _attest(client, course, licence=str(licence_id))

    [certificate] = certificates_of(app, enrolment)
    printed = certificate.snapshot["holder"]["licence"]
    assert printed == {"state": "TX", "profession": "OT", "number": "OT-4411"}


def test_another_learners_licence_cannot_be_chosen(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    other = make.user()
    with app.app_context():
        licence = Licence(user_id=other.id, state="NY", profession="OT", number="999")
        db.session.add(licence)
        db.session.commit()
        licence_id = licence.id
    login(user)

    response = _attest(client, course, licence=str(licence_id))

    assert 'id="licence-error"' in response.get_data(as_text=True)
    assert certificates_of(app, enrolment) == []


def test_attestation_and_confirmed_name_are_recorded_and_the_name_locks(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)

    _attest(client, course, legal_name="Zoë Ñúñez-O'Brien")

    with app.app_context():
        saved = db.session.get(User, user.id)
        assert saved.legal_name_confirmed_at is not None and saved.legal_name_locked
    profile = {"display_name": "Zoë", "legal_name": "Someone Else", "credential": "OTR/L"}
    client.post("/me/profile", data=profile)
    with app.app_context():
        assert db.session.get(User, user.id).legal_name == "Zoë Ñúñez-O'Brien"
    assert "can no longer be changed here" in client.get("/me/profile").get_data(as_text=True)


def test_a_second_confirmation_issues_nothing_more(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)

    _attest(client, course)
    response = _attest(client, course)

    assert "There is nothing to confirm at this step." in response.get_data(as_text=True)
    assert len(certificates_of(app, enrolment)) == 1


def test_the_certificate_ready_email_goes_through_the_outbox(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)

    _attest(client, course)

    [certificate] = certificates_of(app, enrolment)
    with app.app_context():
        [email] = db.session.scalars(sa.select(OutboxEmail)).all()
    assert email.recipient == user.email
    assert course.title in email.subject
    assert f"http://localhost/verify/{certificate.public_id}" in email.body_text
    assert certificate.serial in email.body_text


def test_the_completion_date_is_the_day_where_the_learner_lives(app, client, make, login):
    user, course, enrolment = ready_for_attestation(
        app, make, make.user(legal_name="Maya Learner", time_zone="America/Los_Angeles"))
    login(user)
    # 03:30 UTC on the 24th is still the evening of the 23rd in Los Angeles.
    late_evening = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)

    with mock.patch("courseware.certificates.views.utcnow", return_value=late_evening):
        _attest(client, course, legal_name="Maya Learner")

    [certificate] = certificates_of(app, enrolment)
    assert certificate.completed_on.isoformat() == "2026-11-23"
    assert certificate.snapshot["completed_on"] == "2026-11-23"


def test_local_date_falls_back_to_the_default_zone_for_an_unknown_one():
    noon_utc = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert services.local_date(noon_utc, "Not/AZone", "America/Chicago").isoformat() == "2026-11-22"
    assert services.local_date(noon_utc, None, "UTC").isoformat() == "2026-11-23"


def test_the_profile_saves_a_time_zone_and_refuses_an_unknown_one(app, client, make, login):
    user = make.user()
    login(user)
    base = {"display_name": "Maya", "legal_name": "", "credential": ""}

    client.post("/me/profile", data={**base, "time_zone": "America/Denver"})
    with app.app_context():
        assert db.session.get(User, user.id).time_zone == "America/Denver"
    response = client.post("/me/profile", data={**base, "time_zone": "Mars/Olympus"})
    assert 'id="time_zone-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).time_zone == "America/Denver"
