"""/free/<resource>: the download for joining the mailing list, double opt-in, one-click unsubscribe."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.extensions import db
from courseware.notifications.models import OutboxEmail, Subscriber

COURSES = Path(__file__).resolve().parents[2] / "courses"
FREE = "/free/tips-for-collaboration"
TITLE = "Tips for Successful Collaboration with Teachers"
FORM = {"first_name": "Maya", "email": "Maya@Example.com", "consent": "y"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "COURSES_DIR": str(COURSES)}


def _subscribers(app) -> list[Subscriber]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Subscriber).order_by(Subscriber.id)).all()
        db.session.expunge_all()
        return list(rows)


def _emails(app) -> list[OutboxEmail]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)).all()
        db.session.expunge_all()
        return list(rows)


def _link(body: str, kind: str) -> str:
    return re.search(rf"http://localhost(/{kind}/\S+)", body).group(1)


def test_the_page_offers_the_download_for_an_explicit_opt_in(client):
    page = client.get(FREE).get_data(as_text=True)
    assert TITLE in page and 'type="checkbox"' in page and "I can unsubscribe at any time." in page
    assert client.get("/free/no-such-thing").status_code == 404


def test_without_the_tick_nothing_is_stored_and_the_form_says_why(app, client):
    page = client.post(FREE, data={**FORM, "consent": ""}).get_data(as_text=True)

    assert 'id="consent-error"' in page and "Tick the box to get the download" in page
    assert 'value="Maya@Example.com"' in page  # what was typed is kept
    assert _subscribers(app) == [] and _emails(app) == []


def test_a_visitor_confirms_by_the_emailed_link_which_downloads_the_file(app, client):
    waiting = client.post(FREE, data={**FORM}).get_data(as_text=True)

    assert "Check your email" in waiting and "maya@example.com" in waiting
    [subscriber] = _subscribers(app)
    assert (subscriber.email, subscriber.first_name, subscriber.status) == (
        "maya@example.com",
        "Maya",
        "awaiting confirmation",
    )
    [email] = _emails(app)
    assert email.recipient == "maya@example.com" and TITLE in email.subject
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.headers["List-Unsubscribe"] == f"<http://localhost{_link(email.body_text, 'unsubscribe')}>"

    with client.get(_link(email.body_text, "free")) as download:
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert "attachment" in download.headers["Content-Disposition"] and download.data.startswith(b"%PDF")
    assert _subscribers(app)[0].status == "confirmed"


def test_a_tampered_link_gets_a_clear_answer(client):
    page = client.get(f"{FREE}/download/not-a-real-token")
    assert page.status_code == 400 and "This download link is not valid." in page.get_data(as_text=True)


def test_a_signed_in_verified_member_downloads_in_one_click(app, make, login):
    client = login(make.user(email="maya@example.com", display_name="Maya Learner"))

    form = client.get(FREE).get_data(as_text=True)
    response = client.post(FREE, data={"first_name": "Maya", "email": "maya@example.com", "consent": "y"})

    assert 'value="maya@example.com"' in form and 'value="Maya"' in form  # filled in for them
    assert response.status_code == 302 and "/free/tips-for-collaboration/download/" in response.location
    assert _subscribers(app)[0].status == "confirmed" and _emails(app) == []


def test_the_unsubscribe_link_works_in_one_click_without_logging_in(app, client):
    client.post(FREE, data={**FORM})
    [email] = _emails(app)
    client.get(_link(email.body_text, "free"))
    unsubscribe = _link(email.body_text, "unsubscribe")

    page = client.get(unsubscribe).get_data(as_text=True)

    assert "You're unsubscribed" in page and _subscribers(app)[0].status == "unsubscribed"
    undo = client.post(f"{unsubscribe}/undo", follow_redirects=True).get_data(as_text=True)
    assert "You are back on the list." in undo and _subscribers(app)[0].status == "confirmed"


def test_mail_programs_one_click_post_needs_no_csrf_token(app, client):
    client.post(FREE, data={**FORM})
    [email] = _emails(app)

    response = client.post(
        _link(email.body_text, "unsubscribe"), data={"List-Unsubscribe": "One-Click"}, csrf=False
    )

    assert response.status_code == 200 and _subscribers(app)[0].status == "unsubscribed"
    assert client.get("/unsubscribe/forged").status_code == 400


def test_list_email_carries_the_unsubscribe_headers_when_delivered(app, client):
    client.post(FREE, data={**FORM})

    app.test_cli_runner().invoke(args=["outbox", "deliver"])

    with app.app_context():
        [message] = app.extensions["mailman"].outbox
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_author_sees_and_exports_the_list_safely(app, client, make, login):
    client.post(FREE, data={**FORM, "first_name": '=HYPERLINK("http://x")'})
    assert login(make.user()).get("/studio/subscribers").status_code == 403

    author = login(make.user(role=Role.AUTHOR))
    page = author.get("/studio/subscribers").get_data(as_text=True)
    csv = author.get("/studio/subscribers.csv").get_data(as_text=True)

    assert "maya@example.com" in page and "Awaiting confirmation" in page
    assert csv.splitlines()[0].startswith("Email,First name,Status")
    assert "maya@example.com,\"'=HYPERLINK" in csv  # a formula is defused for spreadsheets


def test_the_form_is_rate_limited(client):
    codes = [client.post(FREE, data={**FORM, "email": f"m{n}@example.com"}).status_code for n in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429


def test_an_unsubscribed_address_is_never_mailed_again_but_its_owner_can_rejoin(app, client, make, login):
    client.post(FREE, data={**FORM})
    [email] = _emails(app)
    client.get(_link(email.body_text, "unsubscribe"))

    again = client.post(FREE, data={**FORM}).get_data(as_text=True)

    assert "Check your email" in again and "we keep our word" in again  # the same page for anyone
    assert len(_emails(app)) == 1 and _subscribers(app)[0].status == "unsubscribed"
    owner = login(make.user(email="maya@example.com"))
    rejoined = owner.post(FREE, data={"first_name": "Maya", "email": "maya@example.com", "consent": "y"})
    assert rejoined.status_code == 302 and _subscribers(app)[0].status == "confirmed"
    assert len(_emails(app)) == 1
