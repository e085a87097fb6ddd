"""Courses in the studio: who may use the pages, a new course, its settings, publishing."""

import re
from datetime import UTC, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.content.models import Course, CourseRevision, Lesson, Module
from courseware.db import utcnow
from courseware.extensions import db
from forum.models import Board
from tests.certificates.helpers import certificates_of, ready_for_attestation
from tests.learning.helpers import wind_back_clock
from tests.studio.helpers import assert_visitors_sign_in_and_members_get_403, reload

_VERSION = re.compile(r'name="version" type="hidden" value="([^"]*)"')

NEW_COURSE = {
    "title": "Own Your Role",
    "slug": "own-your-role",
    "summary": "Advocacy for school-based OT practitioners.",
    "instructor": "Jennifer Huff, OTR, MOT",
    "price": "20.00",
    "contact_hours": "1",
    "level": "Introductory",
    "category": "Professional Issues",
    "objectives": "Describe the OT's role.\r\n\r\nAdvocate for integrated services.",
    "create": "y",
}


# Helpers the other course test modules share.


def settings_url(course) -> str:
    return f"/studio/courses/{course.slug}/settings"


def settings_form(client, course, **changes) -> dict:
    """The settings form as the page fills it in, with `changes` typed over it."""
    html = client.get(settings_url(course)).get_data(as_text=True)
    data = {
        "title": course.title,
        "summary": course.summary,
        "instructor": course.instructor,
        "price": "free",
        "contact_hours": "1",
        "level": course.level,
        "category": course.category,
        "objectives": "\n".join(course.objectives),
        "description": "",
        "approval": "state",
        "aota_provider": "",
        "aota_number": "",
        "watch_percent": "90",
        "pass_percent": "",
        "attempts": "",
        "version": _VERSION.search(html).group(1),
        "save": "y",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def course_revisions(app, course) -> list[CourseRevision]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(CourseRevision)
            .where(CourseRevision.course_id == course.id)
            .order_by(CourseRevision.number)
        ).all()
        db.session.expunge_all()
        return list(rows)


# Permissions: every route, GET and POST.


def _routes(course, module_id) -> list[tuple[str, str]]:
    base = f"/studio/courses/{course.slug}"
    return [
        ("GET", "/studio/courses/new"),
        ("POST", "/studio/courses/new"),
        ("GET", f"{base}/settings"),
        ("POST", f"{base}/settings"),
        ("POST", f"{base}/publish"),
        ("POST", f"{base}/outline"),
        ("POST", f"{base}/outline/move"),
        ("GET", f"{base}/modules/new"),
        ("POST", f"{base}/modules/new"),
        ("GET", f"{base}/modules/{module_id}/edit"),
        ("POST", f"{base}/modules/{module_id}/edit"),
        ("POST", f"{base}/modules/{module_id}/remove"),
    ]


def test_visitors_are_sent_to_sign_in_and_members_get_403_on_every_route(client, make, login):
    course = make.course()
    module_id = make.lessons(course)[0].module_id
    assert client.post(f"/studio/courses/{course.slug}/outline", json={"modules": []}).status_code == 401
    assert_visitors_sign_in_and_members_get_403(client, login, make.user(), _routes(course, module_id))


def test_an_admin_may_use_the_pages_and_an_unknown_course_is_404(client, make, login):
    login(make.user(role=Role.ADMIN))
    assert client.get("/studio/courses/new").status_code == 200
    assert client.get("/studio/courses/no-such-course/settings").status_code == 404
    assert client.post("/studio/courses/no-such-course/publish", data={"publish": "y"}).status_code == 404


# A new course.


def test_the_studio_home_offers_a_new_course_and_each_course_its_settings(client, author, make):
    course = make.course()
    html = client.get("/studio/").get_data(as_text=True)
    assert 'href="/studio/courses/new"' in html and f'href="{settings_url(course)}"' in html


def test_the_new_course_form_has_labelled_fields_and_the_authors_name(client, author):
    html = client.get("/studio/courses/new").get_data(as_text=True)
    for name in (
        "title",
        "slug",
        "summary",
        "instructor",
        "price",
        "contact_hours",
        "level",
        "category",
        "objectives",
    ):
        assert f'for="{name}"' in html, name
    assert 'value="Jennifer Huff"' in html


def test_creating_a_course_makes_a_draft_with_one_module_and_opens_its_settings(app, client, author):
    response = client.post("/studio/courses/new", data=dict(NEW_COURSE))

    assert response.status_code == 302 and response.location.endswith(
        "/studio/courses/own-your-role/settings"
    )
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "own-your-role"))
        modules = db.session.scalars(sa.select(Module).where(Module.course_id == course.id)).all()
        assert (course.status, course.price_cents, course.currency, course.contact_hours) == (
            "draft",
            2000,
            "USD",
            Decimal("1.00"),
        )
        assert course.objectives == ["Describe the OT's role.", "Advocate for integrated services."]
        assert [(m.title, m.position) for m in modules] == [("Module 1", 1)]
        assert course.completion == {
            "watch_percent": 90,
            "post_test": None,
            "evaluation": False,
            "attestation": False,
        }
    assert [row.number for row in course_revisions(app, course)] == [course.revision]
    page = client.get(response.location).get_data(as_text=True)
    assert "Course created as a draft" in page and "Draft" in page
    assert client.get("/courses/own-your-role").status_code == 404  # not in the catalogue yet


def test_a_new_course_with_mistakes_comes_back_with_errors_beside_the_fields(app, client, author, make):
    make.course(slug="taken")
    data = {
        **NEW_COURSE,
        "slug": "Own Your Role",
        "price": "twenty",
        "contact_hours": "1.333",
        "title": "",
        "objectives": "  \n",
    }

    page = client.post("/studio/courses/new", data=data)
    html = page.get_data(as_text=True)

    assert page.status_code == 400
    assert 'id="slug-error"' in html and "lowercase letters, digits and single hyphens" in html
    assert 'aria-describedby="price-hint price-error"' in html and "is not a price" in html
    assert "has more than 2 decimals" in html
    assert "Give the course a title." in html and "Write at least one learning objective." in html
    assert 'value="Own Your Role"' in html and 'value="twenty"' in html  # what was typed is kept
    taken = client.post("/studio/courses/new", data={**NEW_COURSE, "slug": "taken"})
    assert taken.status_code == 400 and "Another course already uses the address" in taken.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 1


# Settings.


def test_the_settings_page_shows_every_field_labelled_in_few_statements(client, author, make, queries):
    course = make.course(description_md="**Hello**", description_html="<p><strong>Hello</strong></p>")
    with queries() as statements:
        page = client.get(settings_url(course))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(statements) <= 8
    for name in (
        "title",
        "summary",
        "description",
        "price",
        "contact_hours",
        "level",
        "category",
        "objectives",
        "approval",
        "aota_provider",
        "aota_number",
        "watch_percent",
        "post_test",
        "pass_percent",
        "attempts",
        "evaluation",
        "attestation",
        "community",
        "sequential",
        "publish_at",
    ):
        assert f'for="{name}"' in html, name
    assert "**Hello**" in html and "<strong>Hello</strong>" in html and "js/preview.js" in html


def test_saving_settings_writes_the_course_and_a_course_revision(app, client, author, make):
    course = make.course(title="Old title")
    data = settings_form(
        client,
        course,
        title="Own Your Role",
        price="$35",
        contact_hours="1.5",
        level="Advanced",
        description="## Why\r\n\r\n*Advocacy*\r\n\r\n<script>alert(1)</script>",
        approval="aota",
        aota_provider="Jennifer Huff, LLC",
        aota_number="12345",
        watch_percent="80",
        evaluation="y",
        attestation="y",
        sequential="y",
    )

    response = client.post(settings_url(course), data=data)

    assert response.status_code == 302
    row = reload(app, Course, course.id)
    assert (row.title, row.price_cents, row.contact_hours, row.level, row.watch_percent) == (
        "Own Your Role",
        3500,
        Decimal("1.50"),
        "Advanced",
        80,
    )
    assert row.approval == {"aota": {"provider": "Jennifer Huff, LLC", "number": "12345"}}
    assert row.completion == {"watch_percent": 80, "post_test": None, "evaluation": True, "attestation": True}
    assert row.sequential and not row.community
    assert row.description_md == "## Why\n\n*Advocacy*\n\n<script>alert(1)</script>\n"
    assert "<em>Advocacy</em>" in row.description_html and "<script" not in row.description_html
    assert row.revision == course.revision + 1
    assert [r.number for r in course_revisions(app, course)] == [row.revision]
    # The hours were shared out again among the published lessons, as a sync would.
    assert sum(lesson.credit_minutes for lesson in make.lessons(course)) == 90


def test_settings_with_mistakes_come_back_as_typed_with_errors(app, client, author, make):
    course = make.course()
    data = settings_form(
        client,
        course,
        approval="aota",
        aota_number="",
        watch_percent="101",
        post_test="y",
        attempts="two",
        title="Typed title",
    )

    page = client.post(settings_url(course), data=data)
    html = page.get_data(as_text=True)

    assert page.status_code == 400
    assert (
        "Enter the AOTA provider&#39;s name." in html
        and "Enter the course&#39;s AOTA approval number." in html
    )
    assert "Between 1 and 100." in html and 'id="watch_percent-error"' in html
    assert "Enter a whole number, like 90." in html and "Enter the pass mark, like 80." in html
    assert 'value="Typed title"' in html
    assert reload(app, Course, course.id).title == course.title


def test_a_post_test_requirement_needs_post_test_questions(app, client, author, make):
    course = make.course(post_test=None)
    data = settings_form(client, course, post_test="y", pass_percent="80", attempts="2")
    page = client.post(settings_url(course), data=data)
    assert page.status_code == 400 and "no post-test questions yet" in page.get_data(as_text=True)
    assert reload(app, Course, course.id).completion.get("post_test") is None


def test_hours_the_published_lessons_cannot_add_up_to_are_refused(app, client, author, make):
    course = make.course()
    with app.app_context():
        for lesson in db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id)):
            lesson.credit_minutes_declared = 30
        db.session.commit()

    page = client.post(settings_url(course), data=settings_form(client, course, contact_hours="1"))

    assert page.status_code == 400
    assert "lessons give 90 credit minutes in all" in page.get_data(as_text=True)
    assert reload(app, Course, course.id).contact_hours == Decimal("1.00")


def test_a_save_over_a_newer_version_is_a_409_that_keeps_what_was_typed(app, client, author, make):
    course = make.course()
    stale = settings_form(client, course, title="Mine")
    assert (
        client.post(settings_url(course), data=settings_form(client, course, title="Theirs")).status_code
        == 302
    )

    page = client.post(settings_url(course), data=stale)
    html = page.get_data(as_text=True)

    assert page.status_code == 409 and "changed since you opened its settings" in html
    assert 'value="Mine"' in html and reload(app, Course, course.id).title == "Theirs"
    # Saving again from the form that came back replaces it: the form now carries the new version.
    again = {**stale, "version": _VERSION.search(html).group(1)}
    assert client.post(settings_url(course), data=again).status_code == 302
    assert reload(app, Course, course.id).title == "Mine"


def test_turning_the_community_on_makes_the_course_board(app, client, author, make):
    course = make.course(title="Own Your Role")
    client.post(settings_url(course), data=settings_form(client, course, community="y"))
    with app.app_context():
        board = db.session.scalar(sa.select(Board).where(Board.course_id == course.id))
        assert (board.slug, board.title) == (course.slug, "Own Your Role")
    client.post(settings_url(course), data=settings_form(client, course, community="y", title="Renamed"))
    with app.app_context():
        assert db.session.scalar(sa.select(Board.title).where(Board.course_id == course.id)) == "Renamed"


def test_changing_hours_or_rules_leaves_issued_certificates_as_issued(app, client, make, login):
    user, course, enrolment = ready_for_attestation(app, make)
    login(user)
    client.post(
        f"/learn/{course.slug}/certificate",
        data={"legal_name": "Zoë Ñúñez-O'Brien", "licence": "none", "attest": "y"},
    )
    [before] = certificates_of(app, enrolment)
    login(make.user(role=Role.AUTHOR))

    data = settings_form(
        client,
        course,
        contact_hours="2",
        watch_percent="100",
        approval="aota",
        aota_provider="Someone Else",
        aota_number="999",
        post_test="y",
        pass_percent="100",
        attempts="1",
        evaluation="y",
        attestation="y",
    )
    assert client.post(settings_url(course), data=data).status_code == 302

    [after] = certificates_of(app, enrolment)
    assert after.snapshot == before.snapshot and after.course_revision == before.course_revision
    assert after.snapshot["course"]["contact_hours"] == "6.75"
    verify = client.get(f"/verify/{after.public_id}").get_data(as_text=True)
    assert "6.75" in verify and "Someone Else" not in verify


# Publishing.


def _publish(client, course, action: str = "publish", publish_at: str = ""):
    return client.post(f"/studio/courses/{course.slug}/publish", data={action: "y", "publish_at": publish_at})


def test_publishing_puts_the_course_in_the_catalogue(app, client, author, make):
    course = make.course(status="draft")
    assert client.get(f"/courses/{course.slug}").status_code == 404

    response = _publish(client, course)

    assert response.status_code == 302
    assert reload(app, Course, course.id).status == "published"
    assert client.get(f"/courses/{course.slug}").status_code == 200
    assert course.title in client.get("/courses/").get_data(as_text=True)


def test_a_course_without_a_published_lesson_cannot_be_published(app, client, author, make):
    course = make.course(status="draft")
    with app.app_context():
        db.session.execute(sa.update(Lesson).where(Lesson.course_id == course.id).values(status="draft"))
        db.session.commit()
    page = _publish(client, course)
    assert page.status_code == 400 and "Publish at least one lesson first" in page.get_data(as_text=True)
    assert reload(app, Course, course.id).status == "draft"


def test_a_course_whose_lessons_do_not_add_up_to_its_hours_cannot_be_published(app, client, author, make):
    course = make.course(status="draft")
    with app.app_context():
        db.session.execute(
            sa.update(Lesson).where(Lesson.course_id == course.id).values(credit_minutes_declared=5)
        )
        db.session.commit()
    page = _publish(client, course)
    assert page.status_code == 400 and "lessons give 15 credit minutes in all" in page.get_data(as_text=True)
    assert reload(app, Course, course.id).status == "draft"


def test_scheduling_publishes_from_a_time_in_the_authors_zone(app, client, make, login):
    login(make.user(role=Role.AUTHOR, time_zone="America/Chicago"))
    course = make.course(status="draft")
    when = (
        (utcnow() + timedelta(days=3))
        .astimezone(ZoneInfo("America/Chicago"))
        .replace(second=0, microsecond=0)
    )

    response = _publish(client, course, "schedule", when.strftime("%Y-%m-%dT%H:%M"))

    assert response.status_code == 302
    row = reload(app, Course, course.id)
    assert row.status == "published" and row.publish_at.replace(tzinfo=UTC) == when.astimezone(UTC)
    assert client.get(f"/courses/{course.slug}").status_code == 404  # not before its time
    assert "Scheduled" in client.get(settings_url(course)).get_data(as_text=True)
    past = _publish(client, course, "schedule", "2020-01-01T09:00")
    assert past.status_code == 400 and "Choose a time in the future" in past.get_data(as_text=True)
    missing = _publish(client, course, "schedule", "")
    assert missing.status_code == 400 and "Choose the date and time" in missing.get_data(as_text=True)


def test_unpublishing_hides_the_course_from_the_catalogue_and_new_enrolments(app, client, author, make):
    course = make.course(price_cents=0)

    response = _publish(client, course, "unpublish")

    assert response.status_code == 302 and reload(app, Course, course.id).status == "draft"
    assert course.title not in client.get("/courses/").get_data(as_text=True)
    assert client.get(f"/courses/{course.slug}").status_code == 404
    assert client.post(f"/courses/{course.slug}/enroll").status_code == 404


def test_enrolled_learners_keep_their_course_after_it_is_unpublished(app, client, author, make, login):
    """They paid for it or were given it: their lessons, progress and certificate stay theirs. The course
    leaves the catalogue and takes no one new."""
    course = make.course(price_cents=0)
    lesson = make.lessons(course)[0]
    learner, newcomer = make.user(), make.user()
    make.enrolment(learner, course)
    _publish(client, course, "unpublish")

    login(learner)
    assert client.get(f"/learn/{course.slug}/").status_code == 200
    assert client.get(f"/learn/{course.slug}/{lesson.slug}").status_code == 200
    wind_back_clock(app, learner, lesson, 20)
    heartbeat = {"intervals": [[0, 20]], "position": 20}
    beat = client.post(f"/learn/{course.slug}/{lesson.slug}/progress", json=heartbeat)
    assert beat.status_code == 200 and beat.get_json()["watched_seconds"] == 20

    login(newcomer)
    assert client.get(f"/learn/{course.slug}/").status_code == 404
    assert client.get(f"/courses/{course.slug}").status_code == 404
