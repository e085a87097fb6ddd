import click
import sqlalchemy as sa
from flask.cli import AppGroup

from courseware.accounts.models import User
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning import services
from courseware.learning.models import EnrolmentSource

learners_cli = AppGroup("learners", help="Learners and enrolments.")


@learners_cli.command("grant")
@click.argument("email")
@click.argument("course_slug")
def grant_command(email: str, course_slug: str) -> None:
    """Give EMAIL a seat in COURSE_SLUG (a paid course, before online payment)."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug))
    if course is None:
        raise click.ClickException(f"No course with the slug {course_slug}.")
    _enrolment, created = services.enrol(user.id, course, EnrolmentSource.GRANT, utcnow())
    db.session.commit()
    if created:
        click.echo(f"{user.email} is now enrolled in {course.title}.")
    else:
        click.echo(f"{user.email} was already enrolled in {course.title}.")
