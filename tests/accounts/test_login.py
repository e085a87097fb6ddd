import pytest

from tests.accounts.conftest import is_logged_in, log_in
from tests.conftest import PASSWORD


def test_login_page_has_one_heading_and_links_to_signup_and_forgot(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert 'autocomplete="current-password"' in page
    assert 'href="/auth/signup"' in page
    assert 'href="/auth/forgot"' in page
    assert 'type="checkbox"' in page  # remember me


def test_login_and_logout(client, make):
    user = make.user(email="maya@example.com")

    response = log_in(client, " MAYA@example.com ")

    assert response.status_code == 302
    assert response.headers["Location"] == "/me/"
    assert is_logged_in(client)
    response = client.post("/auth/logout")
    assert response.headers["Location"] == "/"
    assert not is_logged_in(client)
    assert user.email == "maya@example.com"


def test_logout_is_post_only(client, make, login):
    login(make.user())
    assert client.get("/auth/logout").status_code == 405
    assert is_logged_in(client)


@pytest.mark.parametrize("email", ["maya@example.com", "nobody@example.com"])
def test_failed_login_says_the_same_thing_for_unknown_email_and_wrong_password(client, make, email):
    make.user(email="maya@example.com")

    response = log_in(client, email, password="not the password")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="password-error">Email or password is incorrect.</p>' in page
    assert f'value="{email}"' in page
    assert "not the password" not in page
    assert not is_logged_in(client)


def test_remember_me_sets_a_lasting_cookie(client, make):
    make.user(email="maya@example.com")
    log_in(client, "maya@example.com", remember="y")
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_there_is_no_lasting_cookie(client, make):
    make.user(email="maya@example.com")
    log_in(client, "maya@example.com")
    assert client.get_cookie("remember_token") is None


def test_login_honours_a_same_site_next(client, make):
    make.user(email="maya@example.com")
    response = client.post(
        "/auth/login?next=/learn/own-your-role/",
        data={"email": "maya@example.com", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/learn/own-your-role/"


@pytest.mark.parametrize(
    "target",
    ["//evil.com", "https://evil.com", "/\\evil.com", "http:/evil.com", "\\\\evil.com", "/\t/evil.com"],
)
def test_next_never_leaves_the_site(client, make, target):
    make.user(email="maya@example.com")

    page = client.get("/auth/login", query_string={"next": target}).get_data(as_text=True)
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": "maya@example.com", "password": PASSWORD},
    )

    assert "evil.com" not in page
    assert response.headers["Location"] == "/me/"


def test_protected_page_sends_to_login_and_back(client, make):
    make.user(email="maya@example.com")
    response = client.get("/me/profile")
    assert response.headers["Location"] == "/auth/login?next=/me/profile"
    response = client.post(
        "/auth/login?next=%2Fme%2Fprofile", data={"email": "maya@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/me/profile"


def test_logged_in_member_can_still_open_the_login_page(client, make, login):
    login(make.user(email="maya@example.com"))
    page = client.get("/auth/login").get_data(as_text=True)
    assert "You are logged in as maya@example.com" in page
