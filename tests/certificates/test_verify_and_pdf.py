"""Public verification, and who may download a certificate's PDF."""


import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.certificates import services
from courseware.certificates.models import Certificate
from courseware.db import utcnow
from courseware.extensions import db
from tests.certificates.helpers import certificates_of, ready_for_attestation


@pytest.fixture
def issued(app, client, make, login):
    """A learner whose certificate has just been issued: (user, course, certificate)."""
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)
    data = {"legal_name": "Zoë Ñúñez-O'Brien", "licence": "none", "attest": "y"}
    client.post(f"/learn/{course.slug}/certificate", data=data)
    [certificate] = certificates_of(app, enrolment)
    return user, course, certificate


def test_the_verification_page_is_public_and_states_the_facts(app, issued):
    _user, course, certificate = issued
    visitor = app.test_client()

    response = visitor.get(f"/verify/{certificate.public_id}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Valid." in page
    assert "Zoë Ñúñez-O&#39;Brien, OTR/L" in page
    assert course.title in page
    assert "6.75 contact hours (0.675 AOTA CEUs)" in page
    assert certificate.serial in page
    day = certificate.completed_on
    assert f"{day:%B} {day.day}, {day.year}" in page
    assert "AOTA Approved Provider #12345" in page
    assert 'name="robots" content="noindex"' in page


@pytest.mark.parametrize("public_id", ["5f0c" * 8, "not-a-certificate", "A" * 32, "1" * 200])
def test_an_unknown_or_malformed_id_is_a_plain_404(app, public_id):
    response = app.test_client().get(f"/verify/{public_id}")
    assert response.status_code == 404
    assert "No certificate has this id" in response.get_data(as_text=True)


def test_the_verification_page_runs_at_most_four_statements(app, issued, queries):
    _user, _course, certificate = issued
    visitor = app.test_client()
    with queries() as statements:
        assert visitor.get(f"/verify/{certificate.public_id}").status_code == 200
    assert len(statements) <= 4, statements


def test_the_holder_downloads_the_pdf(issued, client):
    _user, _course, certificate = issued

    response = client.get(f"/certificates/{certificate.public_id}.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert f'filename="certificate-{certificate.serial}.pdf"' in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]


def test_another_learner_gets_404_for_the_pdf(app, issued, make):
    _user, _course, certificate = issued
    other = make.user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = other.session_token

    assert client.get(f"/certificates/{certificate.public_id}.pdf").status_code == 404


def test_the_author_may_open_any_certificate_pdf(app, issued, make):
    _user, _course, certificate = issued
    author = make.user(role=Role.AUTHOR)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = author.session_token

    assert client.get(f"/certificates/{certificate.public_id}.pdf").status_code == 200


def test_a_visitor_is_sent_to_log_in_for_the_pdf(app, issued):
    _user, _course, certificate = issued
    response = app.test_client().get(f"/certificates/{certificate.public_id}.pdf")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_revoked_certificate_is_not_issued_again_when_the_holder_returns(app, issued, client):
    user, course, certificate = issued
    with app.app_context():
        stored = db.session.get(Certificate, certificate.id)
        services.revoke(stored, "Refunded", None, utcnow())
        db.session.commit()

    page = client.get(f"/learn/{course.slug}/certificate").get_data(as_text=True)

    assert "Your certificate was revoked" in page and "Reason: Refunded" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1
