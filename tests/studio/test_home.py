"""The studio home: authors only, every course with its learner and completion counts."""

from courseware.accounts.models import Role
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment


def test_members_get_403_and_visitors_are_sent_to_sign_in(client, make, login):
    assert client.get("/studio/").status_code == 302
    login(make.user())
    assert client.get("/studio/").status_code == 403


def test_lists_every_course_with_current_learners_and_completions(app, client, make, login):
    course = make.course(title="Own Your Role")
    draft = make.course(title="A draft course", status="draft")
    finished, refunded = make.user(), make.user()
    make.enrolment(make.user(), course)
    for learner in (finished, refunded):
        make.enrolment(learner, course)
    with app.app_context():
        rows = {e.user_id: e for e in db.session.scalars(db.select(Enrolment)).all()}
        rows[finished.id].completed_at = utcnow()
        rows[refunded.id].revoked_at = utcnow()
        db.session.commit()
    login(make.user(role=Role.AUTHOR))

    page = client.get("/studio/").get_data(as_text=True)

    own_your_role = page[page.index("Own Your Role") : page.index("</li>", page.index("Own Your Role"))]
    assert ">Published</span>" in own_your_role
    assert " ".join(own_your_role.split()).count("2 learners · 1 completed") == 1
    assert "A draft course" in page and "Draft" in page
    assert draft.slug in page


def test_the_dashboard_links_authors_to_the_studio(client, make, login):
    login(make.user(role=Role.AUTHOR))
    assert 'href="/studio/"' in client.get("/me/").get_data(as_text=True)
