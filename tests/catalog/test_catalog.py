"""The home page, the catalogue and course landing pages, as a visitor and as a learner."""

from datetime import timedelta
from decimal import Decimal

import pytest

from courseware.content.models import Status
from courseware.db import utcnow


@pytest.fixture
def catalogue(make):
    free = make.course(
        slug="tips",
        title="Tips for Successful Collaboration with Teachers",
        contact_hours=Decimal("0.50"),
        summary="Free mini-course.",
    )
    paid = make.course(
        slug="own-your-role",
        title="Own Your Role",
        price_cents=2000,
        contact_hours=Decimal("1.00"),
        summary="Advocate for your role.",
    )
    approved = make.course(
        slug="integration",
        title="From Isolation to Integration",
        price_cents=17900,
        contact_hours=Decimal("6.75"),
        level="Intermediate",
        category="Occupational Therapy Process",
        approval={"aota": {"provider": "Jennifer Huff, LLC", "number": "0000"}},
    )
    make.course(slug="draft", title="Unfinished draft", status=Status.DRAFT)
    make.course(slug="later", title="Coming later", publish_at=utcnow() + timedelta(days=3))
    return free, paid, approved


def test_catalogue_lists_live_courses_with_hours_level_price_and_instructor(client, catalogue):
    page = client.get("/courses/").get_data(as_text=True)

    for title in (
        "Tips for Successful Collaboration with Teachers",
        "Own Your Role",
        "From Isolation to Integration",
    ):
        assert title in page
    assert "6.75 hours" in page and "0.5 hours" in page and "1 hour<" in page
    assert "Free" in page and "$20" in page and "$179" in page
    assert "Intermediate" in page and "Jennifer Huff, OTR, MOT" in page
    assert "Unfinished draft" not in page and "Coming later" not in page


def test_home_page_shows_the_courses(client, catalogue):
    page = client.get("/").get_data(as_text=True)
    assert "From Isolation to Integration" in page and "Browse courses" in page


def test_empty_catalogue_says_so(client):
    assert "No courses are published yet" in client.get("/courses/").get_data(as_text=True)


def test_landing_page_shows_objectives_syllabus_and_the_aota_statement(client, catalogue):
    page = client.get("/courses/integration").get_data(as_text=True)

    assert "Do a thing" in page  # the objective
    assert "Lesson 1" in page and "1:00 video" in page and "Module one" in page
    assert "Jennifer Huff, LLC is an AOTA Approved Provider of professional development" in page
    assert "0.675 CEUs" in page
    assert "AOTA does not endorse specific course content" in page


def test_landing_page_of_an_unapproved_course_says_to_check_state_rules(client, catalogue):
    page = client.get("/courses/own-your-role").get_data(as_text=True)
    assert "Refer to your state&#39;s guidelines" in page
    assert "AOTA Approved Provider" not in page


def test_drafts_and_unknown_courses_are_404(client, catalogue):
    assert client.get("/courses/draft").status_code == 404
    assert client.get("/courses/later").status_code == 404
    assert client.get("/courses/nope").status_code == 404


def test_visitor_is_asked_to_sign_up_and_learner_gets_a_one_click_enrol(client, make, login, catalogue):
    visitor = client.get("/courses/tips").get_data(as_text=True)
    assert "Sign up" in visitor and "Enrol for free" not in visitor

    login(make.user())
    learner = client.get("/courses/tips").get_data(as_text=True)
    assert "Enrol for free" in learner


def test_paid_course_shows_its_price_and_no_free_enrol(client, make, login, catalogue):
    login(make.user())
    page = client.get("/courses/own-your-role").get_data(as_text=True)
    assert "$20" in page and "Enrol for free" not in page and "Enrolment opens soon" in page


@pytest.mark.parametrize("course_count", [3, 300])
def test_catalogue_and_landing_run_a_constant_number_of_statements(make, login, queries, course_count):
    user = make.user()
    for n in range(course_count):
        course = make.course(slug=f"c{n}", lessons=3)
        if n % 2:
            make.enrolment(user, course)
    client = login(user)

    for url in ("/", "/courses/", "/courses/c1"):
        with queries() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= 8, (url, statements)


def test_the_catalogue_is_paginated_and_the_home_page_shows_the_first_six(client, make):
    for n in range(30):
        make.course(slug=f"course-{n:02d}", title=f"Course {n:02d}")

    first = client.get("/courses/").get_data(as_text=True)
    second = client.get("/courses/?page=2").get_data(as_text=True)
    beyond = client.get("/courses/?page=99").get_data(as_text=True)
    not_a_number = client.get("/courses/?page=two").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)

    assert first.count('class="card"') == 24 and "Page 1 of 2" in first and 'href="/courses/?page=2"' in first
    assert second.count('class="card"') == 6 and "Page 2 of 2" in second and "Course 29" in second
    assert "There is no page 99" in beyond
    assert not_a_number.count('class="card"') == 24
    assert home.count('class="card"') == 6 and "See all 30 courses" in home
