"""Boards come from the courses table (`flask forum boards`), and the forum index lists the ones a
member may see."""

from pathlib import Path

import sqlalchemy as sa

from courseware.content.models import Course
from courseware.content.services import sync_courses
from courseware.db import utcnow
from courseware.extensions import db
from forum.models import Board, BoardKind

DEMO_COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_boards_are_made_once_for_the_lounge_and_each_community_course(app, make, forum):
    make.course(slug="integration", title="From Isolation to Integration", community=True)
    make.course(slug="own-your-role", community=False)

    first = forum.boards()
    again = forum.boards()

    assert sorted(first.created) == ["integration", "lounge"]
    assert (again.created, again.updated, again.skipped) == ([], [], [])
    with app.app_context():
        boards = db.session.scalars(sa.select(Board).order_by(Board.position)).all()
        assert [(b.slug, b.kind, b.title) for b in boards] == [
            ("lounge", BoardKind.LOUNGE, "Members' lounge"),
            ("integration", BoardKind.COURSE, "From Isolation to Integration"),
        ]
        assert boards[1].course_id is not None and boards[0].course_id is None


def test_a_renamed_course_refreshes_its_board_and_a_reserved_slug_is_skipped(app, make, forum):
    course = make.course(slug="integration", title="Old title", community=True)
    make.course(slug="t", community=True)  # /forum/t/ is the topics' path
    forum.boards()
    with app.app_context():
        db.session.execute(sa.update(Course).where(Course.id == course.id).values(title="New title"))
        db.session.commit()

    report = forum.boards()

    assert report.updated == ["integration"] and report.skipped == ["t"]
    assert forum.board("integration").title == "New title"


def test_syncing_the_course_files_makes_the_community_board(app, make):
    """The demo tree: only "From Isolation to Integration" opens a community."""
    with app.app_context():
        sync_courses(DEMO_COURSES, utcnow())
        db.session.commit()
        boards = db.session.execute(sa.select(Board.slug, Board.title).order_by(Board.position)).all()
        again = sync_courses(DEMO_COURSES, utcnow())
        db.session.commit()

    assert [tuple(board) for board in boards] == [
        ("lounge", "Members' lounge"),
        ("from-isolation-to-integration",
         "From Isolation to Integration: Effective OT in the Natural School Environment"),
    ]
    assert {changes.state for changes in again.courses} == {"unchanged"}


def test_the_cli_command_makes_the_boards(app, make, forum):
    make.course(slug="integration", community=True)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["forum", "boards"])
    second = runner.invoke(args=["forum", "boards"])

    assert first.exit_code == 0 and "Created the board /forum/integration/" in first.output
    assert "Created the board /forum/lounge/" in first.output
    assert "up to date" in second.output
    assert forum.count(Board) == 2


def test_the_index_lists_the_lounge_then_the_boards_the_member_may_see(
    make, login, forum, member
):
    mine = make.course(slug="integration", title="From Isolation to Integration", community=True)
    make.course(slug="other", title="Somebody Else's Course", community=True)
    forum.boards()
    learner = member()
    make.enrolment(learner, mine)
    forum.topic("lounge", learner, replies=2)

    page = login(learner).get("/forum/").get_data(as_text=True)

    assert page.index("Members&#39; lounge") < page.index("From Isolation to Integration")
    assert "Somebody Else" not in page and "/forum/other/" not in page
    assert "1 topic" in page and "3 posts" in page and "Last post" in page and "No posts yet" in page


def test_staff_see_every_board(make, login, forum, author, moderator):
    make.course(slug="integration", title="From Isolation to Integration", community=True)
    forum.boards()
    for user in (author, moderator):
        page = login(user).get("/forum/").get_data(as_text=True)
        assert "/forum/integration/" in page and "/forum/lounge/" in page


def test_the_index_says_so_when_there_are_no_boards(login, member):
    page = login(member()).get("/forum/").get_data(as_text=True)
    assert "There are no boards yet" in page


def test_the_index_needs_a_login(client):
    response = client.get("/forum/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_course_home_links_to_its_community(make, login, forum, member):
    community = make.course(slug="integration", community=True)
    quiet = make.course(slug="own-your-role", community=False)
    forum.boards()
    learner = member()
    make.enrolment(learner, community)
    make.enrolment(learner, quiet)
    client = login(learner)

    assert 'href="/forum/integration/"' in client.get("/learn/integration/").get_data(as_text=True)
    assert "/forum/" not in client.get("/learn/own-your-role/").get_data(as_text=True).split("<main")[1]


def test_the_dashboard_links_to_the_forum(login, member):
    assert 'href="/forum/"' in login(member()).get("/me/").get_data(as_text=True)
