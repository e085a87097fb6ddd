"""The studio learners page: who is enrolled, how far each is, filters, CSV, permissions, statement count."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role, User
from courseware.assessment.models import AttemptGrant, EvaluationResponse, PostTestAttempt
from courseware.certificates.models import Certificate
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource

COMPLETION = {"watch_percent": 90, "post_test": {"pass_percent": 80, "attempts": 2}, "evaluation": True}
POST_TEST = {"questions": [{"prompt": "Pick A", "choices": ["A", "B"], "answer": [0], "multiple": False}]}


def ce_course(make, **fields):
    """A 6.75-hour course with 3 lessons and a post-test of 2 attempts."""
    defaults = dict(contact_hours=Decimal("6.75"), completion=COMPLETION, post_test=POST_TEST)
    return make.course(lessons=3, **{**defaults, **fields})


def learner(app, make, course, name=None, email=None, source=EnrolmentSource.FREE, **fields) -> Enrolment:
    """A member enrolled in `course`; `fields` set on the enrolment (progress, activity, revocation)."""
    user = make.user(email=email, **({"display_name": name} if name else {}))
    enrolment = make.enrolment(user, course, source=source)
    if fields:
        with app.app_context():
            db.session.execute(sa.update(Enrolment).where(Enrolment.id == enrolment.id).values(**fields))
            db.session.commit()
    return enrolment


def add_attempts(app, enrolment, scores: list[str | None], pass_percent: int = 80) -> None:
    """One attempt per score, in order; None is an attempt still open."""
    with app.app_context():
        for number, score in enumerate(scores, 1):
            submitted = score is not None
            db.session.add(
                PostTestAttempt(
                    enrolment_id=enrolment.id,
                    number=number,
                    course_revision=1,
                    paper=[],
                    pass_percent=pass_percent,
                    submitted_at=utcnow() if submitted else None,
                    score_percent=Decimal(score) if submitted else None,
                    passed=Decimal(score) >= pass_percent if submitted else None,
                )
            )
        db.session.commit()


def add_certificate(app, enrolment, serial: str, revoked: bool = False) -> str:
    with app.app_context():
        certificate = Certificate(
            serial=serial,
            enrolment_id=enrolment.id,
            user_id=enrolment.user_id,
            course_id=enrolment.course_id,
            course_revision=1,
            completed_on=date(2026, 11, 2),
            snapshot={},
            revoked_at=utcnow() if revoked else None,
            revoked_reason="Name misspelled" if revoked else None,
        )
        db.session.add(certificate)
        db.session.commit()
        return certificate.public_id


def author(make, login):
    return login(make.user(role=Role.AUTHOR))


def rows_of(page: str) -> list[str]:
    """The table's body rows, as HTML, in page order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


# -- Permissions and lookups ------------------------------------------------------------------------


def routes(slug: str, enrolment_id: int) -> list[tuple[str, str]]:
    base = f"/studio/courses/{slug}"
    return [
        ("GET", f"{base}/learners"),
        ("GET", f"{base}/learners.csv"),
        ("POST", f"{base}/learners/grant"),
        ("GET", f"{base}/learners/{enrolment_id}/revoke"),
        ("POST", f"{base}/learners/{enrolment_id}/revoke"),
        ("GET", f"{base}/announcement"),
        ("POST", f"{base}/announcement"),
    ]


def test_visitors_are_sent_to_sign_in_and_members_get_403_on_every_route(app, client, make, login):
    course = ce_course(make)
    enrolment = learner(app, make, course)
    for method, url in routes(course.slug, enrolment.id):
        response = client.open(url, method=method, data={"email": "x@example.com", "reason": "r"})
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]
    login(make.user())
    for method, url in routes(course.slug, enrolment.id):
        assert client.open(url, method=method, data={"reason": "r"}).status_code == 403, url
    with app.app_context():  # nothing a member sent changed anything
        assert db.session.get(Enrolment, enrolment.id).revoked_at is None


def test_an_unknown_course_is_404_on_every_route(app, client, make, login):
    enrolment = learner(app, make, ce_course(make))
    author(make, login)
    for method, url in routes("no-such-course", enrolment.id):
        assert client.open(url, method=method, data={"reason": "r"}).status_code == 404, url


def test_admins_manage_learners_too(client, make, login):
    course = ce_course(make)
    login(make.user(role=Role.ADMIN))
    assert client.get(f"/studio/courses/{course.slug}/learners").status_code == 200


def test_the_studio_home_links_each_course_to_its_learners(client, make, login):
    course = ce_course(make, title="Own Your Role")
    author(make, login)
    page = client.get("/studio/").get_data(as_text=True)
    assert f'href="/studio/courses/{course.slug}/learners"' in page


# -- What each row shows ---------------------------------------------------------------------------


def test_each_row_shows_progress_post_test_evaluation_certificate_activity_and_access(
    app, client, make, login
):
    course = ce_course(make, title="From Isolation to Integration")
    now = utcnow()
    passed = learner(
        app,
        make,
        course,
        name="Ada Passed",
        email="ada@example.com",
        source=EnrolmentSource.PURCHASE,
        lessons_completed=3,
        credit_minutes_completed=405,
        last_activity_at=now,
        completed_at=now,
    )
    add_attempts(app, passed, ["60", "90"])
    public_id = add_certificate(app, passed, "CE-2026-0001")
    with app.app_context():
        db.session.add(
            EvaluationResponse(enrolment_id=passed.id, course_revision=1, questions=[], answers={})
        )
        db.session.commit()
    trying = learner(
        app,
        make,
        course,
        name="Ben Trying",
        lessons_completed=2,
        credit_minutes_completed=270,
        last_activity_at=now - timedelta(hours=1),
    )
    add_attempts(app, trying, ["40"])
    learner(
        app,
        make,
        course,
        name="Cy Refunded",
        source=EnrolmentSource.SEAT,
        last_activity_at=now - timedelta(hours=2),
        revoked_at=now,
        revoked_reason="Refunded on request",
    )
    corrected = learner(app, make, course, name="Di Corrected", last_activity_at=now - timedelta(hours=3))
    add_certificate(app, corrected, "CE-2026-0002", revoked=True)
    author(make, login)

    page = client.get(f"/studio/courses/{course.slug}/learners").get_data(as_text=True)

    ada, ben, cy, di = rows_of(page)
    assert "Ada Passed" in ada and "ada@example.com" in ada and "Purchase" in ada
    assert "3 of 3" in ada and '<progress value="100"' in ada and "6.75 of 6.75" in ada
    assert "Passed (90%)" in ada and "Done" in ada
    assert f'href="/studio/certificates/{public_id}">CE-2026-0001</a>' in ada
    assert "Active" in ada and "Revoke access" in ada
    assert "2 of 3" in ben and "4.5 of 6.75" in ben and "1 of 2 attempts used" in ben and "Not done" in ben
    assert "None yet" in ben
    assert "Seat" in cy and "Revoked" in cy and "Refunded on request" in cy and "Revoke access" not in cy
    assert "Not started" in cy and "Never" not in cy
    assert "CE-2026-0002" in di and "Revoked" in di
    assert "4 learners." in page


def test_a_course_without_a_post_test_says_so(app, client, make, login):
    course = make.course(completion={"watch_percent": 90})
    learner(app, make, course, name="Eve")
    author(make, login)
    page = client.get(f"/studio/courses/{course.slug}/learners").get_data(as_text=True)
    assert "No post-test" in rows_of(page)[0] and "Never" in rows_of(page)[0]
    assert "Not required" in rows_of(page)[0]  # no evaluation either
    [row] = read_csv(client.get(f"/studio/courses/{course.slug}/learners.csv"))
    assert (row["Post-test"], row["Evaluation"]) == ("No post-test", "Not required")


def test_an_empty_course_says_nobody_is_enrolled(client, make, login):
    course = ce_course(make)
    author(make, login)
    page = client.get(f"/studio/courses/{course.slug}/learners").get_data(as_text=True)
    assert "No one is enrolled in this course yet." in page and "<table" not in page


def test_newest_activity_first_with_never_active_learners_by_enrolment_date(app, client, make, login):
    course = ce_course(make)
    now = utcnow()
    learner(app, make, course, name="Old Activity", last_activity_at=now - timedelta(days=9))
    learner(app, make, course, name="New Activity", last_activity_at=now - timedelta(minutes=5))
    learner(app, make, course, name="Just Enrolled", created_at=now - timedelta(days=1))
    author(make, login)
    page = client.get(f"/studio/courses/{course.slug}/learners").get_data(as_text=True)
    names = [row.split("<br>")[0].rsplit(">", 1)[1] for row in rows_of(page)]
    assert names == ["New Activity", "Just Enrolled", "Old Activity"]


def test_learners_of_other_courses_are_not_listed(app, client, make, login):
    course, other = ce_course(make), ce_course(make)
    learner(app, make, course, name="Mine")
    learner(app, make, other, name="Someone Else")
    author(make, login)
    page = client.get(f"/studio/courses/{course.slug}/learners").get_data(as_text=True)
    assert "Mine" in page and "Someone Else" not in page


# -- Grant another attempt -----------------------------------------------------------------------


def test_out_of_attempts_rows_offer_another_attempt_that_comes_back_here(app, client, make, login):
    course = ce_course(make)
    stuck = learner(app, make, course, name="Out Of Attempts", last_activity_at=utcnow())
    add_attempts(app, stuck, ["40", "60"])
    passed = learner(app, make, course, name="Has Passed", last_activity_at=utcnow() - timedelta(days=1))
    add_attempts(app, passed, ["40", "100"])
    author(make, login)
    url = f"/studio/courses/{course.slug}/learners?status=all"

    page = client.get(url).get_data(as_text=True)

    out_row, passed_row = rows_of(page)
    assert "2 of 2 attempts used" in out_row and "Allow another post-test attempt" in out_row
    assert f'name="next" value="{url}"' in out_row
    assert "Allow another post-test attempt" not in passed_row
    response = client.post(
        f"/studio/enrolments/{stuck.id}/grant-attempt", data={"next": url, "note": "Retry"}
    )
    assert response.status_code == 302 and response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "may take the post-test once more" in page
    assert "2 of 3 attempts used" in rows_of(page)[0] and "Allow another" not in rows_of(page)[0]
    with app.app_context():
        assert (
            db.session.scalar(sa.select(AttemptGrant.note).where(AttemptGrant.enrolment_id == stuck.id))
            == "Retry"
        )


# -- Filters ---------------------------------------------------------------------------------------


@pytest.fixture
def cohort(app, make):
    """One course with a learner in each state; returns the course."""
    course = ce_course(make)
    now = utcnow()
    learner(
        app,
        make,
        course,
        name="Recent Riley",
        email="Riley@Example.com",
        last_activity_at=now - timedelta(days=2),
        created_at=now - timedelta(days=40),
    )
    learner(
        app,
        make,
        course,
        name="Stalled Sam",
        last_activity_at=now - timedelta(days=20),
        created_at=now - timedelta(days=40),
        lessons_completed=1,
    )
    learner(app, make, course, name="Never Nora", created_at=now - timedelta(days=30))
    learner(app, make, course, name="New Ned", created_at=now - timedelta(hours=12))
    learner(
        app,
        make,
        course,
        name="Done Dana",
        last_activity_at=now - timedelta(days=60),
        completed_at=now - timedelta(days=60),
        lessons_completed=3,
    )
    learner(
        app,
        make,
        course,
        name="Gone Gus",
        last_activity_at=now - timedelta(days=90),
        revoked_at=now,
        revoked_reason="Refunded",
    )
    return course


def listed(client, course, query: str) -> set[str]:
    response = client.get(f"/studio/courses/{course.slug}/learners?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if "<tbody>" not in page:
        return set()
    return {row.split("<br>")[0].rsplit(">", 1)[1] for row in rows_of(page)}


def test_stuck_is_active_not_completed_and_quiet_for_the_days_given(client, make, login, cohort):
    author(make, login)
    assert listed(client, cohort, "status=stuck") == {"Stalled Sam", "Never Nora"}
    assert listed(client, cohort, "status=stuck&days=1") == {"Recent Riley", "Stalled Sam", "Never Nora"}
    assert listed(client, cohort, "status=stuck&days=25") == {"Never Nora"}
    assert listed(client, cohort, "status=stuck&days=") == {"Stalled Sam", "Never Nora"}  # the default, 14


def test_the_other_status_filters(client, make, login, cohort):
    author(make, login)
    assert listed(client, cohort, "status=not-started") == {"Never Nora", "New Ned"}
    assert listed(client, cohort, "status=completed") == {"Done Dana"}
    assert listed(client, cohort, "status=revoked") == {"Gone Gus"}
    assert len(listed(client, cohort, "status=all")) == 6
    page = client.get(f"/studio/courses/{cohort.slug}/learners?status=completed").get_data(as_text=True)
    assert "1 learner match these filters." in page
    assert '<option selected value="completed">' in page


def test_search_by_name_or_email_ignores_case_and_wildcards(client, make, login, cohort):
    author(make, login)
    assert listed(client, cohort, "q=riley@EXAMPLE") == {"Recent Riley"}
    assert listed(client, cohort, "q=sTaLLeD") == {"Stalled Sam"}
    assert listed(client, cohort, "q=%25") == set()  # a literal %, not "anything"
    assert listed(client, cohort, "q=_") == set()
    assert listed(client, cohort, "status=stuck&q=nora") == {"Never Nora"}
    page = client.get(f"/studio/courses/{cohort.slug}/learners?q=zzz").get_data(as_text=True)
    assert "No learners match these filters." in page and 'value="zzz"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=bogus", "Not a valid choice"),
        ("status=stuck&days=0", "Enter a whole number of days from 1 to 365."),
        ("status=stuck&days=366", "Enter a whole number of days from 1 to 365."),
        ("status=stuck&days=abc", "Not a valid integer value"),
        ("q=" + "x" * 101, "Search with 100 characters or fewer."),
    ],
)
def test_bad_filters_get_a_400_with_the_reason_beside_the_field(client, make, login, cohort, query, message):
    author(make, login)
    response = client.get(f"/studio/courses/{cohort.slug}/learners?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and 'class="error"' in page and "Correct the filter above" in page
    assert "<tbody>" not in page
    csv_response = client.get(f"/studio/courses/{cohort.slug}/learners.csv?{query}")
    assert csv_response.status_code == 400 and message in csv_response.get_data(as_text=True)


# -- Pagination and statement count --------------------------------------------------------------


def bulk_learners(app, course, count: int) -> None:
    """`count` learners at once, with attempts, grants and certificates on some, as a busy course has."""
    now = utcnow()
    with app.app_context():
        users = db.session.scalars(
            sa.insert(User).returning(User.id),
            [
                {
                    "email": f"bulk{i}@example.com",
                    "password_hash": "x",
                    "display_name": f"Bulk {i:03d}",
                    "session_token": f"bulk-{course.id}-{i}",
                }
                for i in range(count)
            ],
        ).all()
        enrolments = db.session.scalars(
            sa.insert(Enrolment).returning(Enrolment.id),
            [
                {
                    "user_id": user_id,
                    "course_id": course.id,
                    "source": "free",
                    "created_at": now - timedelta(days=30),
                    "last_activity_at": now - timedelta(minutes=i),
                }
                for i, user_id in enumerate(users)
            ],
        ).all()
        for i, enrolment_id in enumerate(enrolments[::3]):
            db.session.add(
                PostTestAttempt(
                    enrolment_id=enrolment_id,
                    number=1,
                    course_revision=1,
                    paper=[],
                    pass_percent=80,
                    submitted_at=now,
                    score_percent=Decimal("50"),
                    passed=False,
                )
            )
            db.session.add(AttemptGrant(enrolment_id=enrolment_id))
            db.session.add(
                Certificate(
                    serial=f"B-{course.id}-{i}",
                    enrolment_id=enrolment_id,
                    user_id=users[3 * i],
                    course_id=course.id,
                    course_revision=1,
                    completed_on=date(2026, 11, 1),
                    snapshot={},
                )
            )
        db.session.commit()


@pytest.mark.parametrize("count", [3, 300])
def test_the_page_runs_a_constant_number_of_statements(app, client, make, login, queries, count):
    course = ce_course(make)
    bulk_learners(app, course, count)
    author(make, login)
    for query in ("", "?status=stuck&days=1&q=bulk", "?page=2"):
        with queries() as statements:
            response = client.get(f"/studio/courses/{course.slug}/learners{query}")
        assert response.status_code == 200
        assert len(statements) <= 8, statements
    with queries() as statements:
        assert client.get(f"/studio/courses/{course.slug}/learners.csv").status_code == 200
    assert len(statements) <= 8


def test_fifty_learners_a_page_with_the_filters_kept_in_the_pager(app, client, make, login):
    course = ce_course(make)
    bulk_learners(app, course, 120)
    author(make, login)
    url = f"/studio/courses/{course.slug}/learners?q=bulk"

    first = client.get(url).get_data(as_text=True)
    third = client.get(url + "&page=3").get_data(as_text=True)

    assert len(rows_of(first)) == 50 and "Bulk 000" in rows_of(first)[0]  # most recent activity first
    assert "Page 1 of 3" in first and "q=bulk" in first.split('rel="next"')[1].split(">")[0]
    assert len(rows_of(third)) == 20 and "Bulk 119" in rows_of(third)[-1]
    beyond = client.get(url + "&page=99").get_data(as_text=True)
    assert "Page 3 of 3" in beyond  # past the end shows the last page
    assert "Page 1 of 1" not in client.get(url + "&page=abc").get_data(as_text=True)


# -- CSV -------------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_has_every_column_for_the_filtered_learners(app, client, make, login):
    course = ce_course(make)
    now = utcnow()
    done = learner(
        app,
        make,
        course,
        name="Ada Passed",
        email="ada@example.com",
        lessons_completed=3,
        credit_minutes_completed=405,
        last_activity_at=now,
        completed_at=now,
    )
    add_attempts(app, done, ["90"])
    add_certificate(app, done, "CE-2026-0009")
    learner(app, make, course, name='=HYPERLINK("http://evil")', revoked_at=now, revoked_reason="-1+1")
    author(make, login)

    response = client.get(f"/studio/courses/{course.slug}/learners.csv?status=all")
    rows = read_csv(response)

    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert len(rows) == 2
    ada = next(row for row in rows if row["Email"] == "ada@example.com")
    assert ada["Name"] == "Ada Passed" and ada["Source"] == "free"
    assert (ada["Lessons completed"], ada["Lessons"], ada["Hours completed"], ada["Contact hours"]) == (
        "3",
        "3",
        "6.75",
        "6.75",
    )
    assert ada["Post-test"] == "Passed (90%)" and ada["Evaluation"] == "Not done"
    assert (ada["Certificate"], ada["Certificate status"], ada["Access"]) == (
        "CE-2026-0009",
        "valid",
        "active",
    )
    assert ada["Last activity"].startswith(str(now.date()))
    evil = next(row for row in rows if row["Email"] != "ada@example.com")
    assert evil["Name"].startswith("'=") and evil["Revoked reason"] == "'-1+1" and evil["Access"] == "revoked"
    only_completed = read_csv(client.get(f"/studio/courses/{course.slug}/learners.csv?status=completed"))
    assert [row["Email"] for row in only_completed] == ["ada@example.com"]


def test_the_page_links_to_the_csv_with_its_filters(cohort, client, make, login):
    author(make, login)
    page = client.get(f"/studio/courses/{cohort.slug}/learners?status=stuck&days=7").get_data(as_text=True)
    assert f"/studio/courses/{cohort.slug}/learners.csv?status=stuck&amp;days=7" in page


def test_stray_query_arguments_are_ignored(cohort, client, make, login):
    author(make, login)
    response = client.get(f"/studio/courses/{cohort.slug}/learners?slug=other&page=1&foo=%00")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"/studio/courses/{cohort.slug}/learners.csv?status=all&amp;days=14&amp;q=" in page
