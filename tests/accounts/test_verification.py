from tests.accounts.conftest import link_path, sign_up

THREE_DAYS_AND_A_MINUTE = 3 * 24 * 3600 + 60


def _verification_path(outbox) -> str:
    return link_path(outbox()[-1].body_text, "/auth/verify/")


def test_link_from_the_email_verifies_the_address(client, outbox, load_user):
    sign_up(client)

    response = client.get(_verification_path(outbox))

    assert response.status_code == 302
    assert response.headers["Location"] == "/me/"
    assert load_user("new.member@example.com").is_verified
    page = client.get("/me/").get_data(as_text=True)
    assert "new.member@example.com is verified" in page
    assert "Please verify your email address" not in page  # the banner is gone


def test_link_works_in_another_browser_and_sends_it_to_log_in(app, client, outbox, load_user):
    sign_up(client)
    path = _verification_path(outbox)

    response = app.test_client().get(path)

    assert response.headers["Location"] == "/auth/login"
    assert load_user("new.member@example.com").is_verified


def test_using_the_link_again_says_already_verified(client, outbox):
    sign_up(client)
    path = _verification_path(outbox)
    client.get(path)

    response = client.get(path, follow_redirects=True)

    assert response.status_code == 200
    assert "Your email address is already verified." in response.get_data(as_text=True)


def test_expired_link_explains_and_offers_a_new_one(client, outbox, load_user, time_travel):
    with time_travel(THREE_DAYS_AND_A_MINUTE):
        sign_up(client)

    response = client.get(_verification_path(outbox))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The link has expired: verification links work for 3 days." in page
    assert 'action="/auth/verify/resend"' in page
    assert not load_user("new.member@example.com").is_verified


def test_tampered_link_is_rejected(client, outbox, load_user):
    sign_up(client)
    path = _verification_path(outbox)
    tampered = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")

    response = client.get(tampered)

    assert response.status_code == 400
    assert "The link is not complete or not valid." in response.get_data(as_text=True)
    assert not load_user("new.member@example.com").is_verified


def test_a_reset_link_does_not_verify_an_email(client, make, outbox, load_user):
    user = make.user(email="unverified@example.com", verified=False)
    client.post("/auth/forgot", data={"email": user.email})
    token = link_path(outbox()[-1].body_text, "/auth/reset/").removeprefix("/auth/reset/")

    response = client.get(f"/auth/verify/{token}")

    assert response.status_code == 400
    assert not load_user("unverified@example.com").is_verified


def test_anonymous_visitor_with_a_bad_link_is_asked_to_log_in(client):
    response = client.get("/auth/verify/not-a-token")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Log in to get a new link" in page
    assert "/auth/login?next=/me/profile" in page or "/auth/login?next=%2Fme%2Fprofile" in page


def test_verified_member_with_a_bad_link_is_told_all_is_well(client, make, login):
    login(make.user(verified=True))
    response = client.get("/auth/verify/not-a-token", follow_redirects=True)
    assert "Your email address is already verified." in response.get_data(as_text=True)


def test_resend_queues_a_fresh_link_that_works(client, make, login, outbox, load_user):
    user = make.user(email="late@example.com", verified=False)
    login(user)

    response = client.post("/auth/verify/resend")

    assert response.headers["Location"] == "/me/profile"
    [email] = outbox()
    assert email.recipient == "late@example.com"
    client.get(link_path(email.body_text, "/auth/verify/"))
    assert load_user("late@example.com").is_verified


def test_resend_needs_a_login(client, outbox):
    response = client.post("/auth/verify/resend")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert outbox() == []


def test_resend_for_a_verified_member_sends_nothing(client, make, login, outbox):
    login(make.user(verified=True))
    client.post("/auth/verify/resend")
    assert outbox() == []


def test_resend_is_rate_limited_per_member(client, make, login, outbox):
    login(make.user(verified=False))
    statuses = [client.post("/auth/verify/resend").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(outbox()) == 3
