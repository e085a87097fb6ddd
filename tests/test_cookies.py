"""The session cookie and the CSRF token, remembered per worker once verified or signed
(courseware/cookies.py): remembering must accept nothing the signature would not."""

import time

import pytest
from flask import session

from courseware import cookies
from courseware.cookies import RememberingSessionInterface

LIFETIME = 600


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PERMANENT_SESSION_LIFETIME": LIFETIME}


@pytest.fixture
def clock(monkeypatch):
    """clock(seconds): from now on, time.time() (which itsdangerous signs and checks with) runs
    that many seconds ahead."""
    real_time = time.time

    def _move(seconds: float) -> None:
        monkeypatch.setattr(time, "time", lambda: real_time() + seconds)

    return _move


@pytest.fixture
def cookie_for(app):
    """The session cookie a browser would send for `data`, signed at the current (moved) time."""

    def _cookie(data: dict) -> dict[str, str]:
        value = app.session_interface.get_signing_serializer(app).dumps(data)
        return {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={value}"}

    return _cookie


@pytest.fixture
def replaying(app):
    """A client that sends only the Cookie header it is given, as a browser replaying one would."""
    return app.test_client(use_cookies=False)


def signed_in(replaying, headers) -> bool:
    response = replaying.get("/me/", headers=headers)
    return response.status_code == 200


def test_a_remembered_session_still_ends_with_its_lifetime(make, replaying, cookie_for, clock):
    member = make.user()
    headers = cookie_for({"_user_id": member.session_token, "_fresh": True})
    assert signed_in(replaying, headers)
    clock(LIFETIME - 5)
    assert signed_in(replaying, headers)  # remembered, and still young enough
    clock(LIFETIME + 5)
    assert not signed_in(replaying, headers)
    clock(0)
    assert signed_in(replaying, headers)


def test_a_session_signed_in_the_future_is_refused(make, replaying, cookie_for, clock):
    member = make.user()
    clock(3600)
    headers = cookie_for({"_user_id": member.session_token, "_fresh": True})
    assert signed_in(replaying, headers)
    clock(0)
    assert not signed_in(replaying, headers)


def test_a_new_secret_key_refuses_a_remembered_cookie(app, make, replaying, cookie_for):
    member = make.user()
    headers = cookie_for({"_user_id": member.session_token, "_fresh": True})
    assert signed_in(replaying, headers)
    app.secret_key = "a-rotated-secret"
    assert not signed_in(replaying, headers)


def test_a_tampered_cookie_is_refused_after_the_real_one_was_remembered(make, replaying, cookie_for):
    member = make.user()
    headers = cookie_for({"_user_id": member.session_token, "_fresh": True})
    assert signed_in(replaying, headers)
    name, value = headers["Cookie"].split("=", 1)
    payload, timestamp, signature = value.rsplit(".", 2)
    # The signature's first character: its last one carries bits that base64 decoding ignores.
    changed = ("A" if signature[0] != "A" else "B") + signature[1:]
    tampered = f"{payload}.{timestamp}.{changed}"
    assert not signed_in(replaying, {"Cookie": f"{name}={tampered}"})


def test_what_one_request_writes_in_the_session_never_reaches_the_next(app, replaying, cookie_for):
    app.add_url_rule("/write", "write", lambda: session.setdefault("note", "written") and "ok")
    app.add_url_rule("/read", "read", lambda: session.get("note", "nothing"))
    headers = cookie_for({"step": 1})
    first = replaying.get("/write", headers=headers)
    assert first.status_code == 200 and "Set-Cookie" in first.headers  # the browser would get a new cookie
    assert replaying.get("/read", headers=headers).get_data(as_text=True) == "nothing"


def test_only_sessions_of_plain_values_are_remembered(app, replaying, cookie_for):
    """A list (flashed messages, say) could be changed in place by one request and seen by the next."""
    plain, listed = cookie_for({"_user_id": "t"}), cookie_for({"_flashes": [["info", "Hi"]]})
    for headers in (plain, listed):
        assert replaying.get("/", headers=headers).status_code == 200
    remembered = app.session_interface._verified
    assert isinstance(app.session_interface, RememberingSessionInterface)
    assert _value(plain) in remembered and _value(listed) not in remembered


def test_the_remembered_cookies_are_bounded(app, replaying, cookie_for, monkeypatch):
    monkeypatch.setattr(cookies, "REMEMBERED", 3)
    visits = [cookie_for({"visit": number}) for number in range(5)]
    for headers in visits:
        replaying.get("/", headers=headers)
    assert list(app.session_interface._verified) == [_value(headers) for headers in visits[2:]]


def test_the_csrf_token_is_signed_once_and_accepted(make, login, clock):
    client = login(make.user())
    token = _meta_token(client.get("/me/").get_data(as_text=True))
    clock(10)  # a token signed now would carry another timestamp
    assert _meta_token(client.get("/me/").get_data(as_text=True)) == token
    clock(LIFETIME - 60)  # as long as the session lives
    response = client.post("/auth/logout", data={"csrf_token": token}, csrf=False)
    assert response.status_code == 302


def test_with_a_time_limit_each_token_is_signed_afresh(app, make, login, clock):
    limit = 3600
    app.config["WTF_CSRF_TIME_LIMIT"] = limit
    client = login(make.user())
    first = _meta_token(client.get("/me/").get_data(as_text=True))
    clock(10)
    second = _meta_token(client.get("/me/").get_data(as_text=True))
    assert first != second
    clock(limit + 60)
    refused = client.post("/auth/logout", data={"csrf_token": first}, csrf=False)
    assert refused.status_code == 400


def _meta_token(page: str) -> str:
    return page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]


def _value(headers: dict[str, str]) -> str:
    return headers["Cookie"].split("=", 1)[1]
