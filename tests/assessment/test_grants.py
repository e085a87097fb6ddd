"""The author allows another post-test attempt: from the studio route and from the command line."""

import sqlalchemy as sa
from flask import render_template_string

from courseware.accounts.models import Role
from courseware.assessment.models import AttemptGrant
from courseware.extensions import db
from tests.assessment.helpers import answer_sheet, attempts, post_test_course, ready_learner


def _grants(app) -> list[AttemptGrant]:
    with app.app_context():
        rows = db.session.scalars(sa.select(AttemptGrant).order_by(AttemptGrant.id)).all()
        db.session.expunge_all()
        return list(rows)


def _fail_twice(app, client, enrolment) -> None:
    for number in (1, 2):
        client.post("/learn/integration/post-test")
        paper = attempts(app, enrolment.id)[number - 1].paper
        client.post(f"/learn/integration/post-test/{number}", data=answer_sheet(paper, right=0))


def test_the_author_grants_an_attempt_and_the_learner_may_start_again(app, make, login):
    course = post_test_course(make)
    learner, enrolment = ready_learner(app, make, course)
    _fail_twice(app, login(learner), enrolment)
    author = make.user(role=Role.AUTHOR)

    client = login(author)
    response = client.post(f"/studio/enrolments/{enrolment.id}/grant-attempt",
                           data={"note": " Rewatched module 2 ", "next": "/learn/integration/post-test"})
    (grant,) = _grants(app)

    assert response.status_code == 302 and response.location.endswith("/learn/integration/post-test")
    assert (grant.enrolment_id, grant.granted_by_id) == (enrolment.id, author.id)
    assert grant.note == "Rewatched module 2"
    client = login(learner)
    assert "Start attempt 3 of 3" in client.get("/learn/integration/post-test").get_data(as_text=True)
    client.post("/learn/integration/post-test")
    assert [attempt.number for attempt in attempts(app, enrolment.id)] == [1, 2, 3]


def test_only_authors_and_admins_may_grant(app, make, login, client):
    course = post_test_course(make)
    _learner, enrolment = ready_learner(app, make, course)
    url = f"/studio/enrolments/{enrolment.id}/grant-attempt"

    anonymous = client.post(url)
    login(make.user())
    member = client.post(url)
    login(make.user(role=Role.ADMIN))
    admin = client.post(url)
    missing = client.post("/studio/enrolments/999999/grant-attempt")

    assert anonymous.status_code == 302 and "/auth/login" in anonymous.location
    assert member.status_code == 403
    assert admin.status_code == 302 and admin.location.endswith("/learn/integration/")
    assert missing.status_code == 404
    assert len(_grants(app)) == 1


def test_a_grant_redirects_only_to_a_same_site_path_and_checks_the_note(app, make, login):
    course = post_test_course(make)
    _learner, enrolment = ready_learner(app, make, course)
    client = login(make.user(role=Role.AUTHOR))
    url = f"/studio/enrolments/{enrolment.id}/grant-attempt"

    offsite = client.post(url, data={"next": "https://evil.example/"})
    long_note = client.post(url, data={"note": "x" * 501}, follow_redirects=True)

    assert offsite.location.endswith("/learn/integration/")
    assert "Keep the note to 500 characters or fewer." in long_note.get_data(as_text=True)
    assert len(_grants(app)) == 1


def test_no_grant_for_a_learner_who_passed(app, make, login):
    course = post_test_course(make)
    learner, enrolment = ready_learner(app, make, course)
    client = login(learner)
    client.post("/learn/integration/post-test")
    client.post("/learn/integration/post-test/1", data=answer_sheet(attempts(app, enrolment.id)[0].paper, 5))

    client = login(make.user(role=Role.AUTHOR))
    page = client.post(f"/studio/enrolments/{enrolment.id}/grant-attempt", follow_redirects=True)

    assert "This learner has passed the post-test already" in page.get_data(as_text=True)
    assert _grants(app) == []


def test_the_command_line_grants_an_attempt(app, make, login):
    course = post_test_course(make)
    learner, enrolment = ready_learner(app, make, course)
    _fail_twice(app, login(learner), enrolment)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["assessment", "grant-attempt", learner.email.upper(), "integration",
                                 "--note", "Phoned in"])
    not_enrolled = runner.invoke(args=["assessment", "grant-attempt", "nobody@example.com", "integration"])

    assert result.exit_code == 0, result.output
    assert f"{learner.email} may take the post-test once more (1 of 3 attempts left)." in result.output
    assert not_enrolled.exit_code == 1
    assert "nobody@example.com is not enrolled in a course with the slug integration" in not_enrolled.output
    (grant,) = _grants(app)
    assert (grant.granted_by_id, grant.note) == (None, "Phoned in")


def test_the_studio_form_partial_posts_to_the_grant_route(app):
    template = ('{% from "assessment/_grant_attempt.html" import grant_attempt_form %}'
                '{{ grant_attempt_form(7, "/studio/learners") }}')
    with app.test_request_context():
        form = render_template_string(template)
    assert 'action="/studio/enrolments/7/grant-attempt"' in form
    assert 'name="next" value="/studio/learners"' in form and 'name="csrf_token"' in form
    assert '<label for="grant-note-7">Note (optional)</label>' in form
