"""The author's actions on the learners page: grant access, revoke access, email an announcement."""

import sqlalchemy as sa

from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource
from courseware.notifications.models import OutboxEmail
from tests.studio.test_learners import author, ce_course, learner


def enrolment_row(app, enrolment_id: int) -> Enrolment:
    with app.app_context():
        row = db.session.get(Enrolment, enrolment_id)
        db.session.expunge(row)
        return row


def enrolments_of(app, user) -> list[Enrolment]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id)).all()
        db.session.expunge_all()
        return list(rows)


def outbox(app) -> list[OutboxEmail]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)).all()
        db.session.expunge_all()
        return list(rows)


# -- Grant access ----------------------------------------------------------------------------------


def test_granting_access_by_email_enrols_the_learner(app, client, make, login):
    course = ce_course(make, title="Own Your Role")
    member = make.user(email="grace@example.com", display_name="Grace")
    author(make, login)

    response = client.post(
        f"/studio/courses/{course.slug}/learners/grant", data={"email": "  Grace@Example.com "}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/studio/courses/{course.slug}/learners"
    [enrolment] = enrolments_of(app, member)
    assert enrolment.course_id == course.id and enrolment.source == EnrolmentSource.GRANT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "grace@example.com now has access to Own Your Role." in page
    assert "Grace" in page and "Grant" in page


def test_granting_an_enrolled_learner_says_so_and_changes_nothing(app, client, make, login):
    course = ce_course(make)
    enrolment = learner(app, make, course, email="kim@example.com", source=EnrolmentSource.PURCHASE)
    author(make, login)
    response = client.post(
        f"/studio/courses/{course.slug}/learners/grant",
        data={"email": "kim@example.com"},
        follow_redirects=True,
    )
    assert "kim@example.com already has access to" in response.get_data(as_text=True)
    assert enrolment_row(app, enrolment.id).source == EnrolmentSource.PURCHASE


def test_granting_a_revoked_learner_reinstates_them_with_their_progress(app, client, make, login):
    course = ce_course(make)
    enrolment = learner(
        app,
        make,
        course,
        email="lee@example.com",
        lessons_completed=2,
        revoked_at=utcnow(),
        revoked_reason="Refunded",
    )
    author(make, login)
    row = client.get(f"/studio/courses/{course.slug}/learners").get_data(as_text=True).split("<tbody>")[1]
    assert 'name="email" value="lee@example.com"' in row and "Reinstate access" in row
    response = client.post(
        f"/studio/courses/{course.slug}/learners/grant",
        data={"email": "lee@example.com"},
        follow_redirects=True,
    )
    assert "lee@example.com&#39;s access to" in response.get_data(as_text=True)
    assert "is reinstated, with their progress." in response.get_data(as_text=True)
    row = enrolment_row(app, enrolment.id)
    assert row.revoked_at is None and row.revoked_reason is None and row.lessons_completed == 2
    assert row.source == EnrolmentSource.GRANT


def test_an_unknown_or_malformed_email_is_an_error_beside_the_field(app, client, make, login):
    course = ce_course(make)
    author(make, login)
    for typed, message in [
        ("nobody@example.com", "No account has this email yet."),
        ("not-an-email", "Enter an email address."),
        ("", "Enter the learner&#39;s email."),
    ]:
        response = client.post(f"/studio/courses/{course.slug}/learners/grant", data={"email": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert f'id="email-error">{message}' in page
        assert f'value="{typed}"' in page or not typed
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0


def test_actions_need_the_csrf_token(app, client, make, login):
    course = ce_course(make)
    enrolment = learner(app, make, course)
    make.user(email="new@example.com")
    author(make, login)
    base = f"/studio/courses/{course.slug}"
    for url, data in [
        (f"{base}/learners/grant", {"email": "new@example.com"}),
        (f"{base}/learners/{enrolment.id}/revoke", {"reason": "Refunded"}),
        (f"{base}/announcement", {"subject": "Hi", "message": "Hello"}),
    ]:
        assert client.post(url, data=data, csrf=False).status_code == 400, url
    assert enrolment_row(app, enrolment.id).revoked_at is None
    assert outbox(app) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1


# -- Revoke access ---------------------------------------------------------------------------------


def test_revoking_asks_for_a_reason_then_ends_access_and_keeps_progress(app, client, make, login):
    course = ce_course(make, title="Own Your Role")
    enrolment = learner(app, make, course, email="max@example.com", lessons_completed=1)
    author(make, login)
    url = f"/studio/courses/{course.slug}/learners/{enrolment.id}/revoke"

    form = client.get(url).get_data(as_text=True)
    assert "max@example.com" in form and '<label for="reason">Reason' in form

    missing = client.post(url, data={"reason": "   "})
    assert missing.status_code == 400
    assert "Enter why access ends" in missing.get_data(as_text=True)
    too_long = client.post(url, data={"reason": "x" * 201})
    assert too_long.status_code == 400 and "x" * 201 in too_long.get_data(as_text=True)
    assert enrolment_row(app, enrolment.id).revoked_at is None

    response = client.post(url, data={"reason": "Refunded on request"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "max@example.com no longer has access to Own Your Role. Their progress is kept." in page
    assert "Refunded on request" in page
    row = enrolment_row(app, enrolment.id)
    assert row.revoked_at is not None and row.revoked_reason == "Refunded on request"
    assert row.lessons_completed == 1


def test_revoking_twice_changes_nothing(app, client, make, login):
    course = ce_course(make)
    enrolment = learner(
        app, make, course, email="ola@example.com", revoked_at=utcnow(), revoked_reason="First"
    )
    author(make, login)
    url = f"/studio/courses/{course.slug}/learners/{enrolment.id}/revoke"
    assert "was revoked on" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"reason": "Second"}, follow_redirects=True)
    assert "&#39;s access was revoked already: nothing changed." in response.get_data(as_text=True)
    assert enrolment_row(app, enrolment.id).revoked_reason == "First"


def test_an_enrolment_of_another_course_or_none_is_404(app, client, make, login):
    course, other = ce_course(make), ce_course(make)
    elsewhere = learner(app, make, other)
    author(make, login)
    for enrolment_id in (elsewhere.id, elsewhere.id + 1000, 2**31 - 1):
        url = f"/studio/courses/{course.slug}/learners/{enrolment_id}/revoke"
        assert client.get(url).status_code == 404
        assert client.post(url, data={"reason": "Refunded"}).status_code == 404
    assert client.get(f"/studio/courses/{course.slug}/learners/{2**31}/revoke").status_code == 404
    assert enrolment_row(app, elsewhere.id).revoked_at is None


# -- Announcement ----------------------------------------------------------------------------------


def test_an_announcement_queues_one_email_per_learner_with_access(app, client, make, login):
    course = ce_course(make, title="Own Your Role")
    learner(app, make, course, name="Ann", email="ann@example.com")
    learner(app, make, course, name="Bo", email="bo@example.com", completed_at=utcnow())
    learner(app, make, course, email="gone@example.com", revoked_at=utcnow(), revoked_reason="Refunded")
    learner(app, make, ce_course(make), email="other@example.com")
    author(make, login)
    url = f"/studio/courses/{course.slug}/announcement"

    form = client.get(url).get_data(as_text=True)
    assert "To the 2 learners with access to Own Your Role." in form and "Send to 2 learners" in form

    message = "A new lesson on IEP goals is up.\n\nSee you in the community."
    response = client.post(url, data={"subject": "New lesson:\r\nBcc: x@evil.test", "message": message})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/studio/courses/{course.slug}/learners"
    assert "Sent to 2 learners." in client.get(response.headers["Location"]).get_data(as_text=True)
    emails = outbox(app)
    assert sorted(email.recipient for email in emails) == ["ann@example.com", "bo@example.com"]
    ann = next(email for email in emails if email.recipient == "ann@example.com")
    assert ann.subject == "New lesson: Bcc: x@evil.test"  # one line: no header can be smuggled in
    assert ann.body_text.startswith("Hello Ann,\n\n" + message)
    assert "Own Your Role" in ann.body_text
    assert f"http://localhost/learn/{course.slug}/" in ann.body_text
    assert ann.sent_at is None


def test_an_announcement_is_checked_and_kept_when_sent_back(app, client, make, login):
    course = ce_course(make)
    learner(app, make, course)
    author(make, login)
    url = f"/studio/courses/{course.slug}/announcement"

    empty = client.post(url, data={"subject": "", "message": ""})
    assert empty.status_code == 400
    assert "Enter a subject." in empty.get_data(as_text=True) and "Write the message." in empty.get_data(
        as_text=True
    )
    long = client.post(url, data={"subject": "S" * 151, "message": "M" * 5001})
    page = long.get_data(as_text=True)
    assert long.status_code == 400
    assert "Keep the subject to 150 characters or fewer." in page and "S" * 151 in page
    assert "Keep the message to 5,000 characters or fewer." in page and "M" * 5001 in page
    assert outbox(app) == []
    ok = client.post(url, data={"subject": "S" * 150, "message": "M" * 5000})
    assert ok.status_code == 302 and len(outbox(app)) == 1


def test_an_announcement_to_an_empty_course_sends_nothing_and_says_so(app, client, make, login):
    course = ce_course(make)
    learner(app, make, course, revoked_at=utcnow(), revoked_reason="Refunded")
    author(make, login)
    url = f"/studio/courses/{course.slug}/announcement"
    page = client.get(url).get_data(as_text=True)
    assert "so there is no one to email" in page and "<textarea" not in page
    response = client.post(url, data={"subject": "Hello", "message": "Anyone?"}, follow_redirects=True)
    assert "No learner has access to this course yet: nothing was sent." in response.get_data(as_text=True)
    assert outbox(app) == []


def test_the_learners_page_links_to_the_announcement(client, make, login):
    course = ce_course(make)
    author(make, login)
    page = client.get(f"/studio/courses/{course.slug}/learners").get_data(as_text=True)
    assert f'href="/studio/courses/{course.slug}/announcement"' in page


def test_an_announcement_reaches_every_bell_but_only_the_inboxes_that_take_email(app, client, make, login):
    from courseware.accounts.models import User
    from courseware.notifications.models import Notification

    course = ce_course(make, title="Own Your Role")
    learner(app, make, course, email="ann@example.com")
    quiet = learner(app, make, course, email="quiet@example.com")
    with app.app_context():
        db.session.get(User, quiet.user_id).notification_emails = "never"
        db.session.commit()
    author(make, login)

    response = client.post(
        f"/studio/courses/{course.slug}/announcement",
        data={"subject": "Live Q&A", "message": "Thursday at 4."},
    )

    assert "Sent to 2 learners: 1 by email" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [email.recipient for email in outbox(app)] == ["ann@example.com"]
    assert "Stop all notification emails" in outbox(app)[0].body_text
    with app.app_context():
        told = db.session.scalars(
            sa.select(Notification.title).where(Notification.kind == "announcement")
        ).all()
        assert told == ["Live Q&A", "Live Q&A"]
        assert db.session.get(User, quiet.user_id).unread_notifications == 1
