"""The certificate is issued by whatever request meets the last requirement, with no extra step."""

from courseware.assessment import signals as assessment_signals
from courseware.certificates import services as certificate_services
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning import signals
from tests.certificates.helpers import certificates_of, complete_lessons, pass_post_test, submit_evaluation
from tests.learning.helpers import enrolment_row, progress_row, wind_back_clock


def test_the_heartbeat_that_completes_the_last_lesson_issues_the_certificate(app, client, make, login):
    user = make.user(legal_name="Maya Learner", legal_name_confirmed_at=utcnow())
    course = make.course(lessons=2)  # lessons only: no post-test, evaluation or attestation
    enrolment = make.enrolment(user, course)
    first, last = make.lessons(course)
    complete_lessons(app, enrolment, [first])
    login(user)
    client.get(f"/learn/{course.slug}/{last.slug}")
    wind_back_clock(app, user, last, 60)

    response = client.post(
        f"/learn/{course.slug}/{last.slug}/progress", json={"intervals": [[0, 60]], "position": 60, "rate": 1}
    )

    assert response.get_json()["complete"] is True
    [certificate] = certificates_of(app, enrolment)
    assert certificate.snapshot["holder"]["legal_name"] == "Maya Learner"
    assert certificate.snapshot["assessment"] is None


def test_without_a_confirmed_name_the_certificate_waits_for_it(app, client, make, login):
    user = make.user(legal_name="Maya Learner")
    course = make.course(lessons=1, video=False)
    enrolment = make.enrolment(user, course)
    [lesson] = make.lessons(course)
    login(user)
    client.get(f"/learn/{course.slug}/{lesson.slug}")

    client.post(f"/learn/{course.slug}/{lesson.slug}/done")

    assert certificates_of(app, enrolment) == []
    page = client.get(f"/learn/{course.slug}/certificate").get_data(as_text=True)
    assert "Confirm and get my certificate" in page
    assert "I completed this activity myself." not in page  # the course asks for no attestation


def test_submitting_the_evaluation_last_issues_the_certificate(app, make):
    user = make.user(legal_name="Maya Learner", legal_name_confirmed_at=utcnow())
    course = make.course(lessons=1, completion={"evaluation": True})
    enrolment = make.enrolment(user, course)
    complete_lessons(app, enrolment, make.lessons(course))
    submit_evaluation(app, enrolment)

    with app.test_request_context():
        assessment_signals.evaluation_submitted.send(app, enrolment_id=enrolment.id, now=utcnow())
        db.session.commit()

    assert len(certificates_of(app, enrolment)) == 1


def test_a_signal_for_an_unfinished_enrolment_issues_nothing(app, make):
    user = make.user(legal_name="Maya Learner", legal_name_confirmed_at=utcnow())
    course = make.course(lessons=2, completion={"post_test": {"pass_percent": 80, "attempts": 2}},
                         post_test={"questions": []})
    enrolment = make.enrolment(user, course)
    complete_lessons(app, enrolment, make.lessons(course))
    pass_post_test(app, enrolment, score="50", passed=False)

    with app.test_request_context():
        signals.lessons_completed.send(enrolment_id=enrolment.id, now=utcnow())

    assert certificates_of(app, enrolment) == []


def test_a_failure_to_issue_never_loses_the_heartbeat_that_completed_the_course(
    app, client, make, login, monkeypatch, caplog
):
    user = make.user(legal_name="Maya Learner", legal_name_confirmed_at=utcnow())
    course = make.course(lessons=1)
    enrolment = make.enrolment(user, course)
    [lesson] = make.lessons(course)
    login(user)
    client.get(f"/learn/{course.slug}/{lesson.slug}")
    wind_back_clock(app, user, lesson, 60)
    real_issue = certificate_services.issue_if_due

    def broken_issue(*args, **kwargs):
        raise RuntimeError("the snapshot could not be built")

    monkeypatch.setattr(certificate_services, "issue_if_due", broken_issue)
    heartbeat = {"intervals": [[0, 60]], "position": 60, "rate": 1}
    response = client.post(f"/learn/{course.slug}/{lesson.slug}/progress", json=heartbeat)

    assert response.status_code == 200 and response.get_json()["complete"] is True
    assert progress_row(app, user, lesson).completed_at is not None
    assert enrolment_row(app, user, course).lessons_completed == 1
    assert certificates_of(app, enrolment) == []
    assert "not issued at completion" in caplog.text  # the failure is logged, not swallowed

    monkeypatch.setattr(certificate_services, "issue_if_due", real_issue)
    page = client.get(f"/learn/{course.slug}/certificate", follow_redirects=True).get_data(as_text=True)
    assert len(certificates_of(app, enrolment)) == 1 and "Download certificate (PDF)" in page
