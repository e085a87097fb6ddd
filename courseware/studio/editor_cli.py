"""`flask courses publish-due`: announce scheduled lessons whose time has come (run it from cron).

A scheduled lesson appears to learners at its publish_at by itself; this command sends the
`content.lesson_published` signal for it once, so learners hear about it.
"""

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from courseware.db import utcnow
from courseware.extensions import db
from courseware.studio.editor_publish import announce_due
from courseware.web import site_request_context


@click.command("publish-due")
@with_appcontext
def publish_due_command() -> None:
    """Announce the lessons whose scheduled publishing time has passed (each once)."""
    try:
        with site_request_context():  # the announcements' links
            lessons = announce_due(utcnow())
        db.session.commit()
    except IntegrityError:
        # Another run (or an author saving that lesson) took the revision number first; whatever
        # this run announced was rolled back with it, so the next run announces it, once.
        db.session.rollback()
        click.echo("Another save of a due lesson came first; nothing was announced. Run again.", err=True)
        raise SystemExit(1) from None
    for lesson in lessons:
        click.echo(f"live: {lesson.slug} (lesson {lesson.id}, course {lesson.course_id})")
    click.echo(f"{len(lessons)} scheduled lesson(s) announced.")
