"""The certificate page: each requirement missing in turn keeps the certificate back and says why."""

import pytest

from tests.certificates.helpers import (
    certificates_of,
    complete_lessons,
    full_course,
    pass_post_test,
    ready_for_attestation,
    submit_evaluation,
)


def _page(client, course) -> str:
    response = client.get(f"/learn/{course.slug}/certificate")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_with_lessons_missing_the_page_links_each_one(app, client, make, login):
    user = make.user()
    course = full_course(make)
    enrolment = make.enrolment(user, course)
    first, second = make.lessons(course)
    complete_lessons(app, enrolment, [first])
    login(user)

    page = _page(client, course)

    assert "1 of 2 lessons complete" in page
    assert f'href="/learn/{course.slug}/{second.slug}"' in page
    assert f'href="/learn/{course.slug}/{first.slug}"' not in page
    assert "Opens when every lesson is complete." in page
    assert 'name="legal_name"' not in page
    assert certificates_of(app, enrolment) == []


def test_with_the_post_test_not_passed_it_links_to_the_post_test(app, client, make, login):
    user = make.user()
    course = full_course(make)
    enrolment = make.enrolment(user, course)
    complete_lessons(app, enrolment, make.lessons(course))
    pass_post_test(app, enrolment, score="50", passed=False)
    login(user)

    page = _page(client, course)

    assert "1 of 2 attempts used" in page
    assert f'href="/learn/{course.slug}/post-test"' in page
    assert "Opens after the post-test." in page
    assert certificates_of(app, enrolment) == []


def test_with_the_evaluation_missing_it_links_to_the_evaluation(app, client, make, login):
    user = make.user()
    course = full_course(make)
    enrolment = make.enrolment(user, course)
    complete_lessons(app, enrolment, make.lessons(course))
    pass_post_test(app, enrolment, score="80")
    login(user)

    page = _page(client, course)

    assert "You passed with 80 %" in page
    assert f'href="/learn/{course.slug}/evaluation"' in page
    assert 'name="legal_name"' not in page
    assert certificates_of(app, enrolment) == []


def test_with_only_the_attestation_missing_the_form_shows_the_legal_name(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)

    page = _page(client, course)

    assert 'value="Zoë Ñúñez-O&#39;Brien"' in page
    assert "I completed this activity myself." in page
    assert certificates_of(app, enrolment) == []


def test_confirming_without_ticking_the_attestation_is_an_error_beside_it(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)

    data = {"legal_name": "Maya", "licence": "none"}
    response = client.post(f"/learn/{course.slug}/certificate", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="attest-error">Tick this box' in page
    assert 'value="Maya"' in page  # what was typed is kept
    assert certificates_of(app, enrolment) == []


def test_an_empty_legal_name_is_an_error_beside_it(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)

    response = client.post(
        f"/learn/{course.slug}/certificate", data={"legal_name": "  ", "licence": "none", "attest": "y"}
    )

    assert 'id="legal_name-error">Enter your legal name' in response.get_data(as_text=True)
    assert certificates_of(app, enrolment) == []


def test_posting_before_the_attestation_step_changes_nothing(app, client, make, login):
    user = make.user()
    course = full_course(make)
    enrolment = make.enrolment(user, course)
    login(user)

    response = client.post(
        f"/learn/{course.slug}/certificate", data={"legal_name": "Maya", "licence": "none", "attest": "y"},
        follow_redirects=True,
    )

    assert "There is nothing to confirm at this step." in response.get_data(as_text=True)
    assert certificates_of(app, enrolment) == []


@pytest.mark.parametrize("enrolled", [False, True])
def test_the_page_is_404_without_an_enrolment_or_for_an_unknown_course(client, make, login, enrolled):
    user = make.user()
    course = full_course(make)
    if enrolled:
        make.enrolment(user, course)
    login(user)

    assert client.get(f"/learn/{course.slug}/certificate").status_code == (200 if enrolled else 404)
    assert client.get("/learn/no-such-course/certificate").status_code == 404


def test_the_page_needs_a_login(client, make):
    course = full_course(make)
    response = client.get(f"/learn/{course.slug}/certificate")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("lessons", [3, 30])
def test_the_page_runs_a_constant_number_of_statements(app, client, make, login, queries, lessons):
    user = make.user(legal_name="Maya Learner")
    course = full_course(make, lessons=lessons)
    enrolment = make.enrolment(user, course)
    complete_lessons(app, enrolment, make.lessons(course))
    pass_post_test(app, enrolment)
    submit_evaluation(app, enrolment)
    login(user)

    with queries() as statements:
        response = client.get(f"/learn/{course.slug}/certificate")

    assert response.status_code == 200
    assert len(statements) <= 8, statements
