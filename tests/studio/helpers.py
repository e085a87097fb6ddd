"""Helpers the studio's test modules share: who may use a route, a row as the database now holds it,
a course's outline, a page's text."""

import html
import re

import sqlalchemy as sa

from courseware.content.models import Lesson, Module
from courseware.extensions import db

# The version a post-test or evaluation form carries.
VERSION_FIELD = re.compile(r'name="version" value="([^"]*)"')


def assert_visitors_sign_in_and_members_get_403(client, login, member, routes) -> None:
    """Every (method, url) sends a visitor to sign in, then refuses `member` once signed in."""
    for method, url in routes:
        response = client.open(url, method=method, data={})
        assert response.status_code == 302 and "/auth/login" in response.location, (method, url)
    login(member)
    for method, url in routes:
        assert client.open(url, method=method, data={}).status_code == 403, (method, url)


def reload(app, model, id_):
    with app.app_context():
        row = db.session.get(model, id_)
        db.session.expunge(row)
        return row


def current_outline(course_id: int) -> tuple[list[Module], list[Lesson]]:
    """The course's current modules and all its lessons, each in order; call it in an app context."""
    modules = db.session.scalars(
        sa.select(Module)
        .where(Module.course_id == course_id, Module.retired_at.is_(None))
        .order_by(Module.position)
    ).all()
    lessons = db.session.scalars(
        sa.select(Lesson).where(Lesson.course_id == course_id).order_by(Lesson.position)
    ).all()
    return list(modules), list(lessons)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))
