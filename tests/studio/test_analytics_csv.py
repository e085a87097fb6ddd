"""Analytics CSV downloads and who may see analytics at all."""

import csv
import io

import pytest

from courseware.accounts.models import Role
from courseware.assessment.models import EvaluationResponse
from courseware.extensions import db
from courseware.studio.analytics_report import CHART_NAMES
from tests.studio.test_analytics import RANGE, seed_course_history


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def course_and_author(app, make, login):
    course = seed_course_history(app, make)
    login(make.user(role=Role.AUTHOR))
    return course


def _get(client, course, chart, query=RANGE):
    return client.get(f"/studio/courses/{course.slug}/analytics/{chart}.csv?{query}")


def test_every_chart_downloads_the_numbers_of_its_table(client, course_and_author):
    course = course_and_author
    tables = {chart: _csv(_get(client, course, chart)) for chart in CHART_NAMES}
    assert tables["enrolments"] == [
        ["Month", "Enrolments", "Completions"],
        ["2026-01", "2", "1"],
        ["2026-02", "1", "1"],
        ["2026-03", "1", "0"],
    ]
    assert tables["funnel"][1:] == [
        ["Enrolled", "4", "100"],
        ["Started a lesson", "3", "75"],
        ["Completed half the lessons", "1", "25"],
        ["Completed every lesson", "1", "25"],
        ["Passed the post-test", "1", "25"],
        ["Certificate issued", "1", "25"],
    ]
    assert tables["lessons"][1:] == [
        ["1", "Lesson 1", "3", "2"],
        ["2", "Lesson 2", "2", "1"],
        ["3", "Lesson 3", "1", "1"],
    ]
    assert tables["video-stops"][0][:3] == ["Lesson", "Duration (s)", "0-10%"]
    assert tables["video-stops"][3] == ["Lesson 3", "60", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0"]
    assert tables["items"][1] == [
        "1",
        "Which setting is the least restrictive?",
        "3",
        "1",
        "33",
        "Resource room",
        "2",
    ]
    assert tables["evaluation"][1][:3] == ["Rating", "The course met this objective: Do a thing", "3"]
    assert [
        "Comment",
        "Comments and suggestions for the instructor",
        "2026-02-11",
        "<b>Too short</b> for me",
    ] in (tables["evaluation"])
    assert tables["revenue"][1:] == [
        ["Natural School Environment", "2026-01", "USD", "3", "537.00", "229.00", "308.00"],
        ["Natural School Environment", "2026-02", "USD", "1", "179.00", "179.00", "0.00"],
    ]


def test_the_file_name_says_course_chart_and_range(client, course_and_author):
    response = _get(client, course_and_author, "funnel")
    expected = f"{course_and_author.slug}_funnel_2026-01-01_to_2026-03-31.csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_all_courses_revenue_csv(client, course_and_author):
    rows = _csv(client.get(f"/studio/analytics/revenue.csv?{RANGE}"))
    assert [row[0] for row in rows[1:]] == [
        "Natural School Environment",
        "Natural School Environment",
        "Own Your Role",
    ]


def test_unknown_chart_unknown_course_and_bad_range(client, course_and_author):
    assert _get(client, course_and_author, "pie").status_code == 404
    assert client.get(f"/studio/courses/nope/analytics/funnel.csv?{RANGE}").status_code == 404
    response = _get(client, course_and_author, "funnel", "from=2026-04-01&to=2026-01-01")
    assert response.status_code == 400
    assert "The end date is before the start date." in response.get_data(as_text=True)
    assert client.get("/studio/analytics/revenue.csv?to=31-01-2026").status_code == 400
    assert client.get("/studio/analytics/revenue?from=2026-1-1").status_code == 400


def test_a_comment_that_looks_like_a_formula_is_defused(app, client, make, login):
    course = seed_course_history(app, make)
    with app.app_context():
        response = db.session.scalars(db.select(EvaluationResponse)).first()
        response.answers = {**response.answers, "comments": '=HYPERLINK("http://x")'}
        db.session.commit()
    login(make.user(role=Role.AUTHOR))
    rows = _csv(_get(client, course, "evaluation"))
    assert any(row[-1] == '\'=HYPERLINK("http://x")' for row in rows)


ROUTES = [
    "/studio/courses/{slug}/analytics",
    *[f"/studio/courses/{{slug}}/analytics/{chart}.csv" for chart in CHART_NAMES],
    "/studio/analytics/revenue",
    "/studio/analytics/revenue.csv",
]


@pytest.mark.parametrize("route", ROUTES)
def test_visitors_sign_in_and_members_are_refused(client, make, login, route):
    course = make.course()
    url = route.format(slug=course.slug)
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    login(make.user())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("route", ROUTES)
def test_authors_and_admins_get_in(client, make, login, route):
    course = make.course()
    url = route.format(slug=course.slug)
    login(make.user(role=Role.ADMIN))
    assert client.get(url).status_code == 200
