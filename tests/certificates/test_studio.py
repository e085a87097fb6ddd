"""The author's register, the evidence behind a certificate, revocation and reissue."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role, User
from courseware.certificates.models import Certificate
from courseware.extensions import db
from tests.certificates.helpers import certificates_of, ready_for_attestation


@pytest.fixture
def issued(app, make):
    """A certificate issued to one learner, and a client signed in as the author."""
    user, course, enrolment = ready_for_attestation(app, make)
    learner = app.test_client()
    _sign_in(learner, user)
    data = {"legal_name": "Zoë Ñúñez-O'Brien", "licence": "none", "attest": "y"}
    learner.post(f"/learn/{course.slug}/certificate", data=data)
    [certificate] = certificates_of(app, enrolment)
    author = app.test_client()
    _sign_in(author, make.user(role=Role.AUTHOR))
    return certificate, author, enrolment


def _sign_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
    client.csrf_token()


def _member(app, make):
    client = app.test_client()
    _sign_in(client, make.user())
    return client


@pytest.mark.parametrize("method, path", [
    ("get", "/studio/certificates"),
    ("get", "/studio/certificates.csv"),
    ("get", "/studio/certificates/{id}"),
    ("post", "/studio/certificates/{id}/revoke"),
    ("post", "/studio/certificates/{id}/reissue"),
])
def test_members_get_403_on_every_studio_route(app, make, issued, method, path):
    certificate, _author, _enrolment = issued
    member = _member(app, make)
    response = getattr(member, method)(path.format(id=certificate.public_id))
    assert response.status_code == 403


def test_the_register_lists_certificates_and_filters_by_date(issued):
    certificate, author, _enrolment = issued
    day = certificate.completed_on

    page = author.get("/studio/certificates").get_data(as_text=True)
    assert certificate.serial in page and "Zoë Ñúñez-O&#39;Brien" in page

    later = (day + timedelta(days=1)).isoformat()
    page = author.get(f"/studio/certificates?start={later}").get_data(as_text=True)
    assert certificate.serial not in page
    assert "No certificates match these filters" in page


def test_a_backwards_date_range_is_an_error_beside_the_field(issued):
    _certificate, author, _enrolment = issued
    page = author.get("/studio/certificates?start=2026-12-01&end=2026-11-01").get_data(as_text=True)
    assert 'id="end-error">The end date is before the start date.' in page


def test_the_register_csv_holds_every_printed_field_for_the_range(issued):
    certificate, author, _enrolment = issued
    day = certificate.completed_on.isoformat()

    response = author.get(f"/studio/certificates.csv?start={day}&end={day}")

    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["Serial"], row["Certificate id"]) == (certificate.serial, certificate.public_id)
    assert row["Status"] == "valid"
    assert (row["Legal name"], row["Contact hours"]) == ("Zoë Ñúñez-O'Brien", "6.75")
    assert row["AOTA CEUs"] == "0.675"
    assert row["Post-test score %"] == "90"
    assert row["Completed on"] == day


@pytest.mark.parametrize(
    "query", ["start=2026-12-01&end=2026-11-01", "start=yesterday", "course=99999999999"]
)
def test_the_csv_refuses_filters_it_cannot_apply_instead_of_exporting_everything(issued, query):
    _certificate, author, _enrolment = issued

    response = author.get(f"/studio/certificates.csv?{query}")

    assert response.status_code == 400
    assert "cannot be exported for these filters" in response.get_data(as_text=True)


def test_csv_cells_that_spreadsheets_would_run_are_defused(app, make, issued):
    certificate, author, _enrolment = issued
    with app.app_context():
        stored = db.session.get(Certificate, certificate.id)
        holder = {**stored.snapshot["holder"], "legal_name": "=HYPERLINK(1)"}
        stored.snapshot = {**stored.snapshot, "holder": holder}
        db.session.commit()

    rows = list(csv.DictReader(io.StringIO(author.get("/studio/certificates.csv").get_data(as_text=True))))

    assert rows[0]["Legal name"] == "'=HYPERLINK(1)"


def test_the_evidence_page_shows_what_the_server_saw(issued):
    certificate, author, _enrolment = issued

    page = author.get(f"/studio/certificates/{certificate.public_id}").get_data(as_text=True)

    assert "0:00–1:00" in page  # the watched interval of each lesson
    assert "6 heartbeats" in page
    assert "90 %" in page  # the post-test attempt
    assert "Relevant to my practice" in page  # the evaluation
    assert "attested by <strong>Zoë Ñúñez-O&#39;Brien</strong>" in page


def test_the_evidence_page_runs_a_constant_number_of_statements(issued, queries):
    certificate, author, _enrolment = issued
    with queries() as statements:
        assert author.get(f"/studio/certificates/{certificate.public_id}").status_code == 200
    assert len(statements) <= 8, statements


def test_revoking_needs_a_reason_and_then_shows_on_the_verification_page(app, issued):
    certificate, author, _enrolment = issued
    path = f"/studio/certificates/{certificate.public_id}/revoke"

    response = author.post(path, data={"revoke_reason": ""})
    assert response.status_code == 400
    assert 'id="revoke_reason-error">Say why' in response.get_data(as_text=True)

    author.post(path, data={"revoke_reason": "Refunded"})
    page = app.test_client().get(f"/verify/{certificate.public_id}").get_data(as_text=True)
    assert "Revoked" in page and "Reason: Refunded" in page
    [stored] = certificates_of(app, _enrolment)
    assert stored.revoked_reason == "Refunded" and stored.revoked_at is not None


def test_reissue_revokes_and_points_the_old_id_at_the_new_one(app, issued):
    certificate, author, enrolment = issued

    author.post(
        f"/studio/certificates/{certificate.public_id}/reissue",
        data={"legal_name": "Zoë Núñez-O'Brien", "reason": "Legal name misspelled"},
    )

    old, new = certificates_of(app, enrolment)
    assert old.revoked_reason == "Legal name misspelled" and old.replaced_by_id == new.id
    assert new.is_valid and new.public_id != old.public_id and new.serial != old.serial
    assert new.snapshot["holder"]["legal_name"] == "Zoë Núñez-O'Brien"
    assert new.completed_on == old.completed_on
    assert new.snapshot["course"] == old.snapshot["course"]
    assert new.snapshot["verify_url"].endswith(new.public_id)
    old_page = app.test_client().get(f"/verify/{old.public_id}").get_data(as_text=True)
    assert f'href="/verify/{new.public_id}"' in old_page
    with app.app_context():
        saved_name = db.session.scalar(sa.select(User.legal_name).where(User.id == new.user_id))
    assert saved_name == "Zoë Núñez-O'Brien"


def test_a_revoked_certificate_cannot_be_reissued_or_revoked_again(app, issued):
    certificate, author, enrolment = issued
    revoke_path = f"/studio/certificates/{certificate.public_id}/revoke"
    author.post(revoke_path, data={"revoke_reason": "Issued in error"})

    reissue = author.post(
        f"/studio/certificates/{certificate.public_id}/reissue", data={"legal_name": "X", "reason": "Y"}
    )
    again = author.post(revoke_path, data={"revoke_reason": "Again"})

    assert reissue.status_code == 400 and again.status_code == 400
    assert "already revoked" in again.get_data(as_text=True)
    [stored] = certificates_of(app, enrolment)
    assert stored.revoked_reason == "Issued in error"


def test_unknown_certificates_are_404_in_the_studio(issued):
    _certificate, author, _enrolment = issued
    assert author.get("/studio/certificates/" + "0" * 32).status_code == 404
    revoke = author.post("/studio/certificates/" + "0" * 32 + "/revoke", data={"revoke_reason": "x"})
    assert revoke.status_code == 404
