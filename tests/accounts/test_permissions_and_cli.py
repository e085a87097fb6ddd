import sqlalchemy as sa
from werkzeug.security import check_password_hash

from courseware.accounts.cli import seed
from courseware.accounts.models import Licence, User
from courseware.accounts.permissions import verified_email_required
from courseware.extensions import db
from tests.accounts.conftest import log_in


def _add_members_only_page(app):
    @app.post("/test-only/post-something")
    @verified_email_required
    def post_something():
        return "posted"


def test_verified_member_passes(app, client, make, login):
    _add_members_only_page(app)
    login(make.user(verified=True))
    assert client.post("/test-only/post-something").get_data(as_text=True) == "posted"


def test_unverified_member_goes_to_the_profile_with_a_note(app, client, make, login):
    _add_members_only_page(app)
    login(make.user(verified=False))

    response = client.post("/test-only/post-something")

    assert response.headers["Location"] == "/me/profile"
    page = client.get("/me/profile").get_data(as_text=True)
    assert "Please verify your email address first" in page
    assert "Send the verification link again" in page


def test_anonymous_visitor_is_sent_to_log_in(app, client):
    _add_members_only_page(app)
    response = client.post("/test-only/post-something")
    assert response.headers["Location"].startswith("/auth/login")


def _demo_state(app):
    with app.app_context():
        users = db.session.scalars(sa.select(User).order_by(User.email)).all()
        profiles = [
            (u.email, u.display_name, u.legal_name, u.credential, str(u.role), u.is_verified) for u in users
        ]
        secrets = [(u.session_token, u.password_hash) for u in users]
        licences = [[(lic.state, lic.profession) for lic in u.licences] for u in users]
        return profiles, secrets, licences


def test_demo_seed_creates_the_accounts_once(app, client):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "seed"])
    state = _demo_state(app)
    second = runner.invoke(args=["demo", "seed"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "http://127.0.0.1:5000/auth/login" in first.output
    assert "learner@example.com" in first.output and "author@example.com" in first.output
    assert _demo_state(app) == state
    profiles, _secrets, licences = state
    assert profiles == [
        ("author@example.com", "Jennifer Huff", "Jennifer Huff", "OTR, MOT", "author", True),
        ("learner@example.com", "Maya Learner", "Maya R. Learner", "OTR/L", "member", True),
    ]
    assert licences == [[], [("TX", "OT")]]
    assert log_in(client, "learner@example.com", "demo-password-1").headers["Location"] == "/me/"


def test_demo_seed_repairs_changed_accounts_and_takes_a_password_and_the_site(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    with app.app_context():
        learner = db.session.scalar(sa.select(User).where(User.email == "learner@example.com"))
        learner.display_name = "Changed"
        db.session.execute(sa.delete(Licence))
        db.session.commit()

    result = runner.invoke(
        args=["demo", "seed", "--password", "another-demo-pass", "--site", "http://127.0.0.1:5055/"]
    )

    assert result.exit_code == 0, result.output
    assert "another-demo-pass" in result.output
    assert "Log in at http://127.0.0.1:5055/auth/login" in result.output
    with app.app_context():
        learner = db.session.scalar(sa.select(User).where(User.email == "learner@example.com"))
        assert learner.display_name == "Maya Learner"
        assert [(lic.state, lic.profession) for lic in learner.licences] == [("TX", "OT")]
        assert check_password_hash(learner.password_hash, "another-demo-pass")


def test_demo_seed_commits_once(app, monkeypatch):
    commits = []
    real_commit = db.session.commit

    def counting_commit():
        commits.append(1)
        real_commit()

    monkeypatch.setattr(db.session, "commit", counting_commit)
    result = app.test_cli_runner().invoke(seed)
    assert result.exit_code == 0, result.output
    assert commits == [1]
