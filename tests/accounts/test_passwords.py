"""Forgotten password, reset links, changing the password and ending other sessions."""

import re

from tests.accounts.conftest import NEW_PASSWORD, is_logged_in, link_path, log_in
from tests.conftest import PASSWORD

SAME_ANSWER = "we have emailed it a link to choose a new password"
ONE_HOUR_AND_A_MINUTE = 3600 + 60


def _request_reset(client, outbox, email: str) -> str:
    client.post("/auth/forgot", data={"email": email})
    return link_path(outbox()[-1].body_text, "/auth/reset/")


def _reset(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_forgot_answers_the_same_whether_or_not_the_account_exists(app, make, outbox):
    make.user(email="maya@example.com")
    answers = []
    for email in ("maya@example.com", "nobody@example.com"):
        client = app.test_client()
        response = client.post("/auth/forgot", data={"email": email})
        assert response.headers["Location"] == "/auth/login"
        page = client.get("/auth/login").get_data(as_text=True)
        assert SAME_ANSWER in page
        answers.append(re.search(r'<p class="flash[^>]*>(.*?)</p>', page).group(1).replace(email, "EMAIL"))
    assert answers[0] == answers[1]
    assert [email.recipient for email in outbox()] == ["maya@example.com"]


def test_forgot_page_links_back_and_validates_the_email(client):
    response = client.post("/auth/forgot", data={"email": "nope"})
    page = response.get_data(as_text=True)
    assert '<p class="error" id="email-error">' in page
    assert 'value="nope"' in page
    assert 'href="/auth/login"' in page


def test_reset_sets_the_password_ends_every_session_and_logs_in(app, client, make, browser, outbox):
    user = make.user(email="maya@example.com")
    other_device = browser(user)
    path = _request_reset(client, outbox, "maya@example.com")
    assert client.get(path).status_code == 200

    response = _reset(client, path)

    assert response.headers["Location"] == "/me/"
    assert is_logged_in(client)
    assert not is_logged_in(other_device)
    fresh = app.test_client()
    assert log_in(fresh, "maya@example.com", PASSWORD).status_code == 200  # old password refused
    assert log_in(fresh, "maya@example.com", NEW_PASSWORD).headers["Location"] == "/me/"


def test_reset_link_works_only_once(client, make, outbox):
    make.user(email="maya@example.com")
    path = _request_reset(client, outbox, "maya@example.com")
    _reset(client, path)

    response = client.get(path)
    again = _reset(client, path, "another fine long phrase")

    assert response.status_code == 400
    assert "The link has already been used" in response.get_data(as_text=True)
    assert again.status_code == 400


def test_older_reset_links_die_when_the_password_changes(client, make, outbox):
    make.user(email="maya@example.com")
    first = _request_reset(client, outbox, "maya@example.com")
    second = _request_reset(client, outbox, "maya@example.com")
    _reset(client, second)
    assert client.get(first).status_code == 400


def test_expired_reset_link_offers_a_new_one(client, make, outbox, time_travel):
    make.user(email="maya@example.com")
    with time_travel(ONE_HOUR_AND_A_MINUTE):
        path = _request_reset(client, outbox, "maya@example.com")

    response = client.get(path)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "reset links work for 1 hour" in page
    assert 'href="/auth/forgot"' in page


def test_tampered_reset_link_is_rejected(client, make, outbox):
    make.user(email="maya@example.com")
    path = _request_reset(client, outbox, "maya@example.com")
    assert client.get(path.replace("/auth/reset/", "/auth/reset/x")).status_code == 400


def test_reset_checks_the_new_password(client, make, outbox, load_user):
    user = make.user(email="maya.lopez@example.com")
    path = _request_reset(client, outbox, user.email)

    response = _reset(client, path, "maya.lopez-rocks")

    assert response.status_code == 200
    assert "Don&#39;t use your email address in your password." in response.get_data(as_text=True)
    assert load_user(user.email).password_hash == user.password_hash


def test_reset_verifies_an_unverified_email(client, make, outbox, load_user):
    make.user(email="maya@example.com", verified=False)
    _reset(client, _request_reset(client, outbox, "maya@example.com"))
    assert load_user("maya@example.com").is_verified


def test_change_password_keeps_this_session_and_ends_the_others(app, client, make, login, browser, outbox):
    user = make.user(email="maya@example.com")
    login(user)
    other_device = browser(user)
    assert is_logged_in(other_device)

    response = client.post(
        "/me/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert response.headers["Location"] == "/me/profile"
    assert is_logged_in(client)
    assert not is_logged_in(other_device)
    [email] = outbox()
    assert email.recipient == "maya@example.com"
    assert email.subject.startswith("Your password was changed")
    assert log_in(app.test_client(), "maya@example.com", NEW_PASSWORD).headers["Location"] == "/me/"


def test_change_password_keeps_a_remembered_browser_remembered(client, make, load_user):
    make.user(email="maya@example.com")
    log_in(client, "maya@example.com", remember="y")
    old_cookie = client.get_cookie("remember_token").value

    client.post(
        "/me/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    new_cookie = client.get_cookie("remember_token").value
    assert new_cookie != old_cookie
    assert load_user("maya@example.com").session_token in new_cookie


def test_change_password_needs_the_current_password(client, make, login, load_user, outbox):
    user = make.user(email="maya@example.com")
    login(user)

    response = client.post(
        "/me/password",
        data={"current_password": "wrong guess!", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="current_password-error">That is not your current password.</p>' in page
    assert load_user("maya@example.com").session_token == user.session_token
    assert outbox() == []


def test_change_password_page_needs_login(client):
    assert client.get("/me/password").headers["Location"].startswith("/auth/login")


def test_logout_everywhere_keeps_this_device(client, make, login, browser, load_user):
    user = make.user(email="maya@example.com")
    login(user)
    other_device = browser(user)

    response = client.post("/me/sessions/end")

    assert response.headers["Location"] == "/me/profile"
    assert is_logged_in(client)
    assert not is_logged_in(other_device)
    assert load_user("maya@example.com").session_token != user.session_token
    assert "Sign out of all other devices" in client.get("/me/profile").get_data(as_text=True)


def test_logout_everywhere_also_ends_remember_me_cookies(app, client, make, login):
    user = make.user(email="maya@example.com")
    remembered = app.test_client()
    log_in(remembered, "maya@example.com", remember="y")
    with remembered.session_transaction() as session:
        session.clear()  # the browser was closed: only the remember cookie is left
    assert is_logged_in(remembered)
    login(user)

    client.post("/me/sessions/end")

    with remembered.session_transaction() as session:
        session.clear()
    assert not is_logged_in(remembered)
