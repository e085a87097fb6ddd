import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from courseware.accounts import services
from courseware.accounts.models import User
from tests.accounts.conftest import link_path, sign_up
from tests.conftest import PASSWORD


def test_signup_page_links_to_login_and_names_its_fields(client):
    page = client.get("/auth/signup").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert 'autocomplete="email"' in page
    assert 'autocomplete="new-password"' in page
    assert 'href="/auth/login"' in page


def test_signup_creates_unverified_user_logs_in_and_queues_verification(client, load_user, outbox):
    response = sign_up(client, email="  Sam.Rivera@Example.COM ")

    assert response.status_code == 302
    assert response.headers["Location"] == "/me/"
    user = load_user("sam.rivera@example.com")
    assert user is not None and not user.is_verified
    assert user.display_name == "Sam Rivera"
    assert user.password_hash.startswith("scrypt:")
    [email] = outbox()
    assert email.recipient == "sam.rivera@example.com"
    assert link_path(email.body_text, "/auth/verify/")
    page = client.get("/me/", follow_redirects=True).get_data(as_text=True)
    assert "sam.rivera@example.com" in page  # the flash and the "please verify" banner


def test_signup_honours_a_safe_next(client):
    response = client.post(
        "/auth/signup?next=/courses/own-your-role",
        data={"email": "a.b@example.com", "display_name": "A B", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.headers["Location"] == "/courses/own-your-role"


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter an email address like name@example.com."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"display_name": ""}, "display_name", "Enter the name others will see."),
        ({"password": "short one", "confirm": "short one"}, "password", "Use at least 10 characters."),
        (
            {"email": "riverasam@example.com", "password": "RiveraSam2024!", "confirm": "RiveraSam2024!"},
            "password",
            "Don&#39;t use your email address in your password.",
        ),
        ({"password": "Password123", "confirm": "Password123"}, "password", "That password is too common."),
        ({"confirm": "something else entirely"}, "confirm", "The passwords do not match."),
    ],
)
def test_signup_errors_show_beside_the_field_and_keep_what_was_typed(
    client, load_user, outbox, fields, field_id, message
):
    typed = {"email": "typed.value@example.com", "display_name": "Typed Name", **fields}
    response = sign_up(client, **typed)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{field_id}-error">{message}' in page
    assert f'aria-describedby="{field_id}-hint {field_id}-error"' in page or (
        f'aria-describedby="{field_id}-error"' in page
    )
    if typed["email"]:
        assert f'value="{typed["email"]}"' in page
    if typed["display_name"]:
        assert f'value="{typed["display_name"]}"' in page
    assert PASSWORD not in page  # passwords are never sent back
    assert outbox() == []
    assert load_user(typed["email"]) is None


def test_duplicate_email_is_reported_beside_the_email_field(client, make, outbox):
    make.user(email="taken@example.com")

    response = sign_up(client, email="Taken@Example.com")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        '<p class="error" id="email-error">An account with this email already exists. '
        "Log in or reset your password.</p>"
    ) in page
    assert 'value="Taken@Example.com"' in page
    assert outbox() == []


def test_duplicate_email_race_with_the_unique_constraint_gives_the_same_message(
    app, client, make, monkeypatch, outbox
):
    make.user(email="racer@example.com")
    # Another request inserts the same email between our check and our insert.
    monkeypatch.setattr(services, "_email_registered", lambda email: False)

    response = sign_up(client, email="racer@example.com")

    assert response.status_code == 200
    assert "An account with this email already exists." in response.get_data(as_text=True)
    assert outbox() == []
    with app.app_context():
        count = services.db.session.scalar(sa.select(sa.func.count()).select_from(User))
    assert count == 1


def test_the_race_really_hits_the_unique_constraint(app, make, monkeypatch):
    make.user(email="racer@example.com")
    monkeypatch.setattr(services, "_email_registered", lambda email: False)
    with app.test_request_context(), pytest.raises(services.EmailTaken) as caught:
        services.register_user("racer@example.com", "Racer", PASSWORD)
    assert isinstance(caught.value.__cause__, IntegrityError)


def test_post_without_csrf_token_is_rejected(client, load_user):
    response = client.post(
        "/auth/signup",
        data={"email": "x.y@example.com", "display_name": "X", "password": PASSWORD, "confirm": PASSWORD},
        csrf=False,
    )
    assert response.status_code == 400
    assert "The form expired or was sent from another site." in response.get_data(as_text=True)
    assert load_user("x.y@example.com") is None


def test_logged_in_member_visiting_signup_goes_to_the_dashboard(client, make, login):
    login(make.user())
    response = client.get("/auth/signup")
    assert response.status_code == 302
    assert response.headers["Location"] == "/me/"


def test_a_new_member_gets_a_handle_from_the_display_name(client, load_user, make):
    make.user(display_name="Sam Rivera", handle="sam_rivera")
    sign_up(client, email="sam.rivera@example.com")
    assert load_user("sam.rivera@example.com").handle == "sam_rivera2"


def test_a_handle_taken_by_a_sign_up_at_the_same_moment_is_not_an_error(client, load_user, make, monkeypatch):
    """The race: the free handle read before the insert is gone by the time of the insert."""
    make.user(display_name="Someone Else", handle="sam_rivera")
    real = services.handles.unique_handle
    answers = iter(["sam_rivera"])  # the first read missed the other sign-up's handle
    monkeypatch.setattr(services.handles, "unique_handle", lambda name: next(answers, None) or real(name))

    response = sign_up(client, email="sam.rivera@example.com")

    assert response.status_code == 302
    assert load_user("sam.rivera@example.com").handle == "sam_rivera2"
