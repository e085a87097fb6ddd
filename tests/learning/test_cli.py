"""`flask learners grant`: the author gives a seat in a paid course before online payment exists."""

import sqlalchemy as sa

from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource


def test_grant_enrols_the_learner_once(app, make, login):
    user = make.user(email="maya@example.com")
    make.course(slug="own-your-role", price_cents=2000)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["learners", "grant", "Maya@Example.com ", "own-your-role"])
    second = runner.invoke(args=["learners", "grant", "maya@example.com", "own-your-role"])

    assert first.exit_code == 0 and "is now enrolled in" in first.output
    assert second.exit_code == 0 and "was already enrolled" in second.output
    with app.app_context():
        enrolments = db.session.scalars(sa.select(Enrolment)).all()
        assert [(e.user_id, e.source) for e in enrolments] == [(user.id, EnrolmentSource.GRANT)]
    page = login(user).get("/learn/own-your-role/").get_data(as_text=True)
    assert "Start the first lesson" in page


def test_grant_names_what_it_could_not_find(app, make):
    make.user(email="maya@example.com")
    runner = app.test_cli_runner()

    no_user = runner.invoke(args=["learners", "grant", "nobody@example.com", "own-your-role"])
    no_course = runner.invoke(args=["learners", "grant", "maya@example.com", "no-such-course"])

    assert no_user.exit_code == 1 and "No account with the email nobody@example.com" in no_user.output
    assert no_course.exit_code == 1 and "No course with the slug no-such-course" in no_course.output
