"""District seats: the author makes a code; learners redeem it once each; never more than its seats."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.db import utcnow
from courseware.extensions import db
from courseware.payments import seats
from courseware.payments.models import SeatCode, SeatRedemption
from tests.payments.conftest import enrolments


@pytest.fixture
def author(make):
    return make.user(email="jennifer@example.com", role=Role.AUTHOR)


def _code_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(SeatCode.id))


def _make_code(login, author, seat_count=3, **extra) -> str:
    form = {
        "seats-course": "own-your-role",
        "seats-organisation": "Springfield Public Schools",
        "seats-seats": str(seat_count),
        **extra,
    }
    response = login(author).post("/studio/seats", data=form, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert "Springfield Public Schools" in page and f"0 of {seat_count} used" in page
    return page.split("Seat code <code>")[1].split("</code>")[0]


def test_the_author_makes_a_code_and_a_learner_redeems_it(app, make, login, author, paid_course):
    code = _make_code(login, author)
    learner = make.user(email="ot@springfield.example")

    response = login(learner).post(
        "/redeem", data={"code": code.lower().replace("-", " ")}, follow_redirects=True
    )

    assert response.request.path == "/learn/own-your-role/"
    assert "Your seat is confirmed: you are enrolled in Own Your Role." in response.get_data(as_text=True)
    [enrolment] = enrolments(app)
    assert (enrolment.user_id, enrolment.source) == (learner.id, "seat")
    detail = login(author).get(f"/studio/seats/{_code_id(app)}").get_data(as_text=True)
    assert "1 of 3 used, 2 left" in detail and "ot@springfield.example" in detail


def test_redeeming_twice_takes_one_seat(app, make, login, author, paid_course):
    code = _make_code(login, author)
    client = login(make.user())

    client.post("/redeem", data={"code": code})
    again = client.post("/redeem", data={"code": code}, follow_redirects=True)

    assert "You are already enrolled in Own Your Role." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(SeatCode.seats_used)) == 1


@pytest.mark.parametrize(
    "prepare, message",
    [
        (lambda code: None, "That code is not one of ours."),
        (lambda code: code.update(cancelled_at=utcnow()), "This code has expired or was withdrawn."),
        (
            lambda code: code.update(expires_at=utcnow() - timedelta(minutes=1)),
            "This code has expired or was withdrawn.",
        ),
        (lambda code: code.update(seats_used=3), "All 3 seats on this code are taken."),
    ],
)
def test_a_code_that_cannot_give_a_seat_says_why_beside_the_field(
    app, make, login, author, paid_course, prepare, message
):
    code = _make_code(login, author)
    changes = {}
    prepare(changes)
    if changes:
        with app.app_context():
            db.session.execute(sa.update(SeatCode).values(**changes))
            db.session.commit()
    typed = code if changes else "ABCD-EFGH-JKMN"

    response = login(make.user()).post("/redeem", data={"code": typed})

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="code-error"' in page and message in page
    assert f'value="{typed}"' in page  # what was typed is kept
    assert enrolments(app) == []


def test_a_code_that_cannot_be_one_is_refused_without_a_lookup(make, login, queries):
    client = login(make.user())
    with queries() as statements:
        page = client.post("/redeem", data={"code": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "That code is not one of ours." in page and "<script>alert(1)" not in page
    assert not [sql for sql in statements if "seat_codes" in sql]


def test_withdrawing_an_unused_seat_and_stopping_the_code(app, make, login, author, paid_course):
    code = _make_code(login, author, seat_count=2)
    login(make.user()).post("/redeem", data={"code": code})
    studio = login(author)

    url = f"/studio/seats/{_code_id(app)}"
    withdrawn = studio.post(f"{url}/withdraw", follow_redirects=True).get_data(as_text=True)
    none_left = studio.post(f"{url}/withdraw", follow_redirects=True).get_data(as_text=True)
    stopped = studio.post(f"{url}/cancel", follow_redirects=True).get_data(as_text=True)

    assert "One unused seat withdrawn." in withdrawn and "1 of 1 used, 0 left" in withdrawn
    assert "there is no unused seat to withdraw" in none_left
    assert "takes no more redemptions" in stopped and "Withdrawn" in stopped
    assert len(enrolments(app)) == 1  # the learner keeps the seat


def test_the_studio_seat_pages_are_for_authors_only(make, login, client, paid_course):
    member = login(make.user())
    for method, url in (
        ("get", "/studio/seats"),
        ("post", "/studio/seats"),
        ("get", "/studio/seats/1"),
        ("post", "/studio/seats/1/withdraw"),
        ("post", "/studio/seats/1/cancel"),
        ("post", "/studio/grants"),
    ):
        assert getattr(member, method)(url).status_code == 403, url


def test_bad_seat_forms_answer_beside_the_field(login, author, paid_course):
    page = (
        login(author)
        .post(
            "/studio/seats",
            data={
                "seats-course": "own-your-role",
                "seats-organisation": "",
                "seats-seats": "0",
            },
        )
        .get_data(as_text=True)
    )
    assert "Enter who the seats are for" in page and "Between 1 and 1000 seats." in page
    sent = {"seats-course": "own-your-role", "seats-organisation": "Dist", "seats-seats": "ten"}
    words = login(author).post("/studio/seats", data=sent)
    error = words.get_data(as_text=True).split('id="seats-seats-error">')[1].split("</p>")[0]
    assert error == "Enter a whole number of seats, like 25."  # one message, about what was typed


def test_a_comp_grant_enrols_one_learner_by_email(app, make, login, author, paid_course):
    learner = make.user(email="maya@example.com")
    studio = login(author)

    granted = studio.post(
        "/studio/grants",
        data={"grant-email": "Maya@Example.com ", "grant-course": "own-your-role"},
        follow_redirects=True,
    ).get_data(as_text=True)
    unknown = studio.post(
        "/studio/grants", data={"grant-email": "nobody@example.com", "grant-course": "own-your-role"}
    )

    assert "Maya@Example.com is now enrolled in Own Your Role." in granted
    assert [(e.user_id, e.source) for e in enrolments(app)] == [(learner.id, "grant")]
    assert unknown.status_code == 400 and "No account has this email yet." in unknown.get_data(as_text=True)


def test_redemption_is_rate_limited(make, login, paid_course):
    client = login(make.user())
    answers = [client.post("/redeem", data={"code": "ABCD-EFGH-JKMN"}).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429


def test_concurrent_redemptions_never_overfill_a_code(app, make, paid_course):
    """Twelve learners at once for five seats: five get in, the others are told it is full."""
    learners = [make.user() for _ in range(12)]
    with app.app_context():
        code = seats.create_code(paid_course, "District", 5, None, None, utcnow())
        db.session.commit()
        text = code.code
    barrier = threading.Barrier(len(learners))
    outcomes: list[str] = []

    def redeem(user):
        with app.app_context():
            barrier.wait()
            try:
                seats.redeem(text, user, utcnow())
                db.session.commit()
                outcomes.append("seat")
            except seats.SeatRefused:
                db.session.rollback()
                outcomes.append("full")
            except Exception as error:  # SQLite: a writer that waited too long; it gets no seat
                db.session.rollback()
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=redeem, args=(user,)) for user in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with app.app_context():
        used = db.session.scalar(sa.select(SeatCode.seats_used))
        redemptions = db.session.scalar(sa.select(sa.func.count()).select_from(SeatRedemption))
    assert outcomes.count("seat") == 5 == used == redemptions == len(enrolments(app))
    assert outcomes.count("full") + outcomes.count("seat") >= 5
