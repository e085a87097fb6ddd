"""Cross-cutting rules: security headers, error pages (HTML and JSON), safe redirects, the outbox."""

import pytest
import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.extensions import db
from courseware.notifications import services as outbox
from courseware.notifications.models import OutboxEmail
from courseware.web import is_safe_next


def test_every_page_sends_the_security_headers(client):
    for url in ("/", "/courses/", "/auth/login", "/nope"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_not_found_is_a_friendly_page_or_json(client):
    page = client.get("/courses/nothing-here")
    api = client.get("/courses/nothing-here", headers={"Accept": "application/json"})
    assert page.status_code == 404 and "Go to the home page" in page.get_data(as_text=True)
    assert api.status_code == 404 and api.json["error"] == "Not Found"


def test_wrong_method_is_405_with_allow(client):
    response = client.get("/courses/tips/enroll")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert "Method Not Allowed" in response.get_data(as_text=True)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAX_CONTENT_LENGTH": 1024}


def test_too_large_a_body_is_413(make, login):
    client = login(make.user())
    response = client.post("/courses/x/enroll", data={"blob": "x" * 5000})
    assert response.status_code == 413 and "Request Entity Too Large" in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_friendly_500_without_a_traceback(app, client):
    def broken():
        raise RuntimeError("database on fire")

    app.add_url_rule("/broken", "broken", broken)
    response = client.get("/broken")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in text
    assert "database on fire" not in text and "Traceback" not in text


def test_a_form_post_without_csrf_token_is_refused(client):
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "x"}, csrf=False)
    assert response.status_code == 400 and "The form expired" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/me/", True),
        ("/learn/tips/lesson-1?x=1", True),
        (None, False),
        ("", False),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("/\tevil", False),
    ],
)
def test_only_same_site_paths_are_safe_redirects(target, safe):
    assert is_safe_next(target) is safe


def test_the_outbox_worker_sends_queued_email_once(app):
    with app.app_context():
        outbox.queue_email("maya@example.com", "Verify your email", "Open this link.")
        db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["outbox", "deliver"])
    second = runner.invoke(args=["outbox", "deliver"])

    assert "1 sent, 0 failed" in first.output and "0 sent, 0 failed" in second.output
    with app.app_context():
        sent = db.session.scalar(sa.select(OutboxEmail))
        assert sent.sent_at is not None and sent.attempts == 1
        mailbox = app.extensions["mailman"].outbox
        assert [m.subject for m in mailbox] == ["Verify your email"] and mailbox[0].to == ["maya@example.com"]


def test_a_failed_delivery_is_kept_for_a_later_attempt(app, monkeypatch):
    with app.app_context():
        outbox.queue_email("maya@example.com", "Hello", "Body")
        db.session.commit()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("flask_mailman.EmailMessage.send", refuse)
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])

    assert "0 sent, 1 failed" in result.output
    with app.app_context():
        email = db.session.scalar(sa.select(OutboxEmail))
        assert email.sent_at is None and "SMTP server down" in email.last_error
        assert email.next_attempt_at > email.created_at


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_numbers_too_large_for_the_database_are_404_or_the_first_page(client, make, login):
    make.course(slug="tips", title="Tips for Collaboration")
    login(make.user())

    catalogue = client.get("/courses/?page=99999999999999999999")
    dashboard = client.get("/me/?page=99999999999999999999")
    licence = client.post("/me/profile/licences/99999999999999999999/delete")

    assert catalogue.status_code == 200 and "Tips for Collaboration" in catalogue.get_data(as_text=True)
    assert dashboard.status_code == 200 and "My learning" in dashboard.get_data(as_text=True)
    assert licence.status_code == 404


def test_control_characters_typed_into_a_form_are_dropped_not_a_500(app, client, make, login):
    """PostgreSQL refuses NUL in text; every form strips control characters before validating."""
    user = make.user()
    login(user)

    response = client.post(
        "/me/profile",
        data={"display_name": "Maya\x00 R", "legal_name": "Maya\x07 Learner", "credential": "OTR/L"},
    )

    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.display_name, saved.legal_name) == ("Maya R", "Maya Learner")
