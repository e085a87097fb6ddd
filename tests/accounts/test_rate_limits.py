import pytest

from tests.accounts.conftest import log_in, sign_up


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "RATELIMIT_LOGIN": "2 per minute",
        "RATELIMIT_SIGNUP": "1 per minute",
        "RATELIMIT_RESET": "1 per minute",
    }


def test_too_many_logins_get_the_friendly_429_page(client, make):
    make.user(email="maya@example.com")
    statuses = [log_in(client, "maya@example.com", "wrong guess!").status_code for _ in range(3)]

    response = log_in(client, "maya@example.com")

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many attempts from your connection." in page
    assert '<p class="error-code">429</p>' in page
    assert "Retry-After" in response.headers


def test_only_posts_count(client):
    for _ in range(5):
        assert client.get("/auth/login").status_code == 200
        assert client.get("/auth/signup").status_code == 200
        assert client.get("/auth/forgot").status_code == 200


def test_signup_is_rate_limited(client, load_user):
    sign_up(client, email="first@example.com")
    client.post("/auth/logout")
    response = sign_up(client, email="second@example.com")
    assert response.status_code == 429
    assert load_user("second@example.com") is None


def test_forgot_password_is_rate_limited(client, outbox):
    client.post("/auth/forgot", data={"email": "a@example.com"})
    response = client.post("/auth/forgot", data={"email": "b@example.com"})
    assert response.status_code == 429


def test_json_clients_get_a_json_429(client):
    for _ in range(2):
        log_in(client, "x@example.com", "wrong guess!")
    response = client.post(
        "/auth/login",
        data={"email": "x@example.com", "password": "wrong guess!"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 429
    assert response.json["error"] == "Too Many Requests"
